// The playbook YAML front end against the catalogue of bad inputs in shared/RELIABILITY.md
// (A1-A14).
#include "playbook/yaml.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace {

using tact::ErrorCode;
using tact::internal::parse_yaml;
using tact::internal::YamlNode;

// "file:line:col: message" of a parse, or "ok".
std::string error_of(std::string_view yaml) {
  tact::Result<YamlNode> r = parse_yaml(yaml, "pb.yaml");
  return r.ok() ? "ok" : r.status().to_string();
}

TEST(Yaml, BuildsATreeWithPositionsInCodePoints) {
  tact::Result<YamlNode> r =
      parse_yaml("名字: 值\nrules:\n  - id: r1\n    match: \"退款\"\n", "pb.yaml");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->is_map());
  const auto* name = r->find("名字");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->value.scalar, "值");
  EXPECT_EQ(name->key_pos.line, 1u);
  EXPECT_EQ(name->key_pos.column, 1u);
  EXPECT_EQ(name->value.pos.column, 5u);  // 名字: is four code points
  const auto* rules = r->find("rules");
  ASSERT_TRUE(rules && rules->value.is_sequence());
  const YamlNode& rule = rules->value.items.at(0);
  EXPECT_EQ(rule.pos.line, 3u);
  EXPECT_EQ(rule.find("match")->value.scalar, "退款");
  EXPECT_TRUE(rule.find("match")->value.quoted);
  EXPECT_FALSE(rule.find("id")->value.quoted);
}

TEST(Yaml, KeepsYaml11BooleansAsText) {  // A14
  tact::Result<YamlNode> r = parse_yaml("speaker: on\nflag: yes\n", "pb.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->find("speaker")->value.scalar, "on");
  EXPECT_EQ(r->find("flag")->value.scalar, "yes");
}

TEST(Yaml, DeepFlowNestingIsALimitNotACrash) {  // A1
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  tact::Result<YamlNode> r = parse_yaml(deep, "pb.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kLimit);
  EXPECT_EQ(r.status().to_string(), "pb.yaml:1:65: nesting deeper than 64 levels");
}

TEST(Yaml, DeepBlockNestingNamesTheLineWhereItGoesTooDeep) {  // A2
  std::string yaml;
  for (int i = 0; i < 600; ++i)
    yaml += std::string(static_cast<std::size_t>(i), ' ') + "k" + std::to_string(i) + ":\n";
  yaml += std::string(600, ' ') + "v\n";
  tact::Result<YamlNode> r = parse_yaml(yaml, "pb.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kLimit);
  EXPECT_EQ(r.status().where().line, 65u);
}

TEST(Yaml, AliasExpansionIsBudgeted) {  // A3: billion laughs
  const std::string laughs =
      "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
      "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
      "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
      "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
  tact::Result<YamlNode> r = parse_yaml(laughs, "pb.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kLimit);
  EXPECT_THAT(r.status().to_string(),
              testing::MatchesRegex("pb\\.yaml:[0-9]+:[0-9]+: more than 100000 nodes after alias "
                                    "expansion \\(at alias \\*[a-i]\\)"));
  // Ordinary aliases still work.
  tact::Result<YamlNode> ok = parse_yaml("base: &b [x, y]\nmore: *b\n", "pb.yaml");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->find("more")->value.items.size(), 2u);
}

TEST(Yaml, CyclicAliasIsAnErrorNotAStackOverflow) {  // A4
  EXPECT_EQ(error_of("a: &x [1, *x]\n"),
            "pb.yaml:1:11: alias *x refers to a node that contains it (a cycle)");
  EXPECT_THAT(error_of("rules: &x [ {id: R1, then: *x} ]\n"), testing::HasSubstr("(a cycle)"));
}

TEST(Yaml, DuplicateKeysAreErrors) {  // A5: yaml-cpp keeps the first silently
  EXPECT_EQ(error_of("rule: first\nrule: second\n"),
            "pb.yaml:2:1: duplicate key 'rule' (first at 1:1)");
  EXPECT_EQ(error_of("a:\n  x: 1\n  y: 2\n  x: 3\n"),
            "pb.yaml:4:3: duplicate key 'x' (first at 2:3)");
}

TEST(Yaml, ControlCharactersAreRejectedBeforeYamlCppSeesThem) {  // A6
  EXPECT_EQ(error_of("rules:\n  - a\n  - b\n\x04  - c\n  - d\n"),
            "pb.yaml:4:1: control character U+0004 not allowed");
  EXPECT_EQ(error_of("a: \x1b[31m\n"), "pb.yaml:1:4: control character U+001B not allowed");
  EXPECT_EQ(error_of("a:\tb\r\n"), "ok");  // TAB, CR and LF are fine
}

TEST(Yaml, InvalidUtf8IsRejectedWithItsPosition) {  // A7
  EXPECT_EQ(error_of("a: \xFF\n"), "pb.yaml:1:4: invalid UTF-8");
  EXPECT_EQ(error_of("a: 退\xC0\xAF\n"), "pb.yaml:1:5: invalid UTF-8");
  EXPECT_EQ(error_of("a: x\nb: \xED\xA0\x80\n"), "pb.yaml:2:4: invalid UTF-8");
  EXPECT_EQ(error_of("a: \xE4\xB8"), "pb.yaml:1:4: invalid UTF-8");
}

TEST(Yaml, ByteOrderMarks) {  // A8
  EXPECT_EQ(error_of("\xEF\xBB\xBF"
                     "a: 1\n"),
            "ok");
  EXPECT_EQ(error_of(std::string("\xFF\xFE"
                                 "a\0:\0",
                                 6)),
            "pb.yaml:1:1: playbook must be UTF-8 (found a UTF-16LE byte-order mark)");
}

TEST(Yaml, NulFromAnEscapeIsRejected) {  // A9
  EXPECT_EQ(error_of("name: \"a\\x00b\"\n"), "pb.yaml:1:7: NUL character not allowed in text");
  EXPECT_EQ(error_of("name: \"退\\0款\"\n"), "pb.yaml:1:7: NUL character not allowed in text");
}

TEST(Yaml, ExactlyOneDocumentAndNoHangs) {  // A10
  EXPECT_EQ(error_of("a: 1\n---\nb: 2\n"),
            "pb.yaml:2:1: exactly one YAML document expected (a second starts at 2:1)");
  // LoadAll loops forever on "," in yaml-cpp 0.7.0; these must return.
  EXPECT_NE(error_of(","), "hang");
  EXPECT_NE(error_of("\n,\n    "), "hang");
}

TEST(Yaml, SizeIsLimitedBeforeParsing) {  // A11
  tact::internal::YamlLimits limits;
  limits.max_bytes = 1 << 20;
  tact::Result<YamlNode> r = parse_yaml(std::string(3 << 20, '#'), "pb.yaml", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kLimit);
  EXPECT_EQ(r.status().to_string(), "pb.yaml: playbook is 3.0 MiB, limit 1 MiB");
}

TEST(Yaml, SyntaxErrorsAreOneBasedWithAHintForTabs) {  // A12
  EXPECT_EQ(error_of("a:\n\tb: 1\n"),
            "pb.yaml:2:3: YAML syntax: illegal map value (a tab indents this line: YAML indents "
            "with spaces)");
  EXPECT_EQ(error_of("foo: [\n"), "pb.yaml:2:1: YAML syntax: end of sequence flow not found");
  EXPECT_EQ(error_of("\"unterminated"), "pb.yaml:1:14: YAML syntax: illegal EOF in scalar");
}

TEST(Yaml, MergeKeysAndForeignTagsAreRejected) {  // A14
  EXPECT_EQ(error_of("base: &b {sev: high}\nr1:\n  <<: *b\n  id: x\n"),
            "pb.yaml:3:3: merge keys ('<<') are not supported; repeat the fields instead");
  EXPECT_EQ(error_of("a: !!python/object:os.system x\n"),
            "pb.yaml:1:4: unsupported tag 'tag:yaml.org,2002:python/object:os.system'");
  EXPECT_EQ(error_of("a: !!str 1\n"), "ok");
}

TEST(Yaml, NonScalarKeysAreRejected) {
  EXPECT_EQ(error_of("? [a, b]\n: c\n"), "pb.yaml:1:3: a mapping key must be plain text");
}

}  // namespace
