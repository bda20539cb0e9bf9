// The pattern grammar in Boost.Spirit X3, factored so that no alternative re-parses a prefix
// (X3 does not memoise: shared prefixes go exponential) and every operator is followed by an
// expectation (`>`), so a failure after an operator is reported where it happened.
//
// Nodes are built by semantic actions on a stack carried in the parse context. An action runs
// only after its parser fully succeeded, and a partial success is always an expectation failure
// (an exception), so the stack never holds the leftovers of a failed alternative.
//
// Boost 1.74 traps avoided: no `standard::space` or other classifiers that assert on bytes >= 0x80
// (the skipper and word characters are explicit ASCII sets), and no X3 error_handler positions.
#include "pattern/grammar.hpp"

#include <algorithm>
#include <boost/spirit/home/x3.hpp>
#include <functional>
#include <vector>

namespace tact::internal {
namespace {

namespace x3 = boost::spirit::x3;
using Kind = PatternNode::Kind;

struct Builder {
  const char* base;
  std::uint32_t max_distance;
  std::vector<PatternNode> stack;
  std::vector<std::uint32_t> operator_offsets;  // where a pending '!' or '~' was written
  std::vector<std::uint32_t> distances;         // n of each NEAR/n or BEFORE/n being parsed;
                                                // a stack, as the right operand may nest more

  std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - base); }

  void push_leaf(Kind kind, std::string text, const char* at) {
    PatternNode n;
    n.kind = kind;
    n.text = std::move(text);
    n.column = offset(at);
    stack.push_back(std::move(n));
  }

  // Pops two operands and pushes them joined by `kind`; same-kind n-ary operators flatten.
  void combine(Kind kind, std::uint32_t distance = 0) {
    PatternNode right = std::move(stack.back());
    stack.pop_back();
    PatternNode& left = stack.back();
    const bool flatten = (kind == Kind::kAnd || kind == Kind::kOr || kind == Kind::kSequence);
    if (flatten && left.kind == kind) {
      left.children.push_back(std::move(right));
      return;
    }
    PatternNode n;
    n.kind = kind;
    n.distance = distance;
    n.column = left.column;
    n.children.push_back(std::move(left));
    n.children.push_back(std::move(right));
    left = std::move(n);
  }
};

// Thrown from an action that finds a semantic problem the grammar cannot express.
struct ActionError {
  const char* where;
  std::string message;
};

struct builder_tag;
Builder& builder(const auto& ctx) { return x3::get<builder_tag>(ctx).get(); }

std::string unescape(const char* b, const char* e) {
  std::string out;
  for (const char* p = b; p != e; ++p) {
    if (*p == '\\' && p + 1 != e) ++p;
    out.push_back(*p);
  }
  return out;
}

// ---- actions ----
const auto push_word = [](auto& ctx) {
  auto r = x3::_attr(ctx);
  builder(ctx).push_leaf(Kind::kPhrase, std::string(r.begin(), r.end()), r.begin());
};
const auto mark_prefix = [](auto& ctx) { builder(ctx).stack.back().prefix = true; };
const auto push_quoted = [](auto& ctx) {
  auto r = x3::_attr(ctx);
  builder(ctx).push_leaf(Kind::kPhrase, unescape(r.begin(), r.end()), r.begin() - 1);
};
const auto push_regex = [](auto& ctx) {
  auto r = x3::_attr(ctx);
  builder(ctx).push_leaf(Kind::kRegex, std::string(r.begin(), r.end()), r.begin() - 1);
};
const auto push_lexicon = [](auto& ctx) {
  auto r = x3::_attr(ctx);
  builder(ctx).push_leaf(Kind::kLexicon, std::string(r.begin(), r.end()), r.begin() - 1);
};
// X3 1.74's _where() is unreliable inside actions, so operator positions come from raw[].
const auto note_operator = [](auto& ctx) {
  builder(ctx).operator_offsets.push_back(builder(ctx).offset(x3::_attr(ctx).begin()));
};
const auto mark_homophone = [](auto& ctx) {
  Builder& b = builder(ctx);
  PatternNode& n = b.stack.back();
  n.kind = Kind::kHomophone;
  n.column = b.operator_offsets.back();
  b.operator_offsets.pop_back();
};
const auto make_not = [](auto& ctx) {
  Builder& b = builder(ctx);
  PatternNode n;
  n.kind = Kind::kNot;
  n.column = b.operator_offsets.back();
  b.operator_offsets.pop_back();
  n.children.push_back(std::move(b.stack.back()));
  b.stack.back() = std::move(n);
};
const auto note_distance = [](auto& ctx) {
  Builder& b = builder(ctx);
  const auto digits = x3::_attr(ctx);
  unsigned long long d = 0;
  for (char c : digits)
    d = std::min<unsigned long long>(d * 10 + static_cast<unsigned>(c - '0'), 1ull << 32);
  if (d > b.max_distance) {
    throw ActionError{digits.begin(), "distance " + std::string(digits.begin(), digits.end()) +
                                          " is too large (at most " +
                                          std::to_string(b.max_distance) + " tokens)"};
  }
  b.distances.push_back(static_cast<std::uint32_t>(d));
};
const auto make_or = [](auto& ctx) { builder(ctx).combine(Kind::kOr); };
const auto make_and = [](auto& ctx) { builder(ctx).combine(Kind::kAnd); };
const auto make_sequence = [](auto& ctx) { builder(ctx).combine(Kind::kSequence); };
template <Kind kKind>
struct MakeProximity {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Builder& b = builder(ctx);
    const std::uint32_t distance = b.distances.back();
    b.distances.pop_back();
    b.combine(kKind, distance);
  }
};

// ---- lexical pieces (ASCII sets only) ----
const auto ideographic_space = x3::lit("\xE3\x80\x80");
const auto skipper = x3::char_(" \t\r\n\f\v") | ideographic_space;
const auto word_char = !ideographic_space >> ~x3::char_(" \t\r\n\f\v|&!()\"/@~*");
const auto keyword = [](const char* k) { return x3::lexeme[x3::lit(k) >> !word_char]; };
const auto any_keyword =
    keyword("AND") | keyword("OR") | keyword("NOT") | keyword("NEAR") | keyword("BEFORE");
const auto name_char = x3::char_("a-zA-Z0-9_-");

// ---- rules; their names are what error messages say was expected ----
constexpr const char* kOperand = "a word, \"phrase\", /regex/, @lexicon, ~homophone or '('";
x3::rule<class or_expr_r> const or_expr = kOperand;
x3::rule<class and_expr_r> const and_expr = kOperand;
x3::rule<class seq_expr_r> const seq_expr = kOperand;
x3::rule<class prox_expr_r> const prox_expr = kOperand;
x3::rule<class unary_r> const unary = kOperand;
x3::rule<class primary_r> const primary = kOperand;
x3::rule<class close_paren_r> const close_paren = "')'";
x3::rule<class close_quote_r> const close_quote = "'\"' to close the phrase";
x3::rule<class close_regex_r> const close_regex = "'/' to close the regular expression";
x3::rule<class lexicon_name_r> const lexicon_name = "a lexicon name (letters, digits, '_' or '-')";
x3::rule<class distance_slash_r> const distance_slash = "'/' and a distance (as in NEAR/3)";
x3::rule<class distance_r> const distance = "a number of tokens (as in NEAR/3)";
x3::rule<class homophone_target_r> const homophone_target = "a word or \"phrase\"";
x3::rule<class escaped_r> const escaped = "a character after '\\'";

const auto close_paren_def = x3::lit(')');
const auto close_quote_def = x3::lit('"');
const auto close_regex_def = x3::lit('/');
const auto lexicon_name_def = x3::raw[+name_char][push_lexicon];
const auto distance_slash_def = x3::lit('/');
const auto distance_def = x3::lexeme[x3::raw[+x3::char_("0-9")][note_distance]];
const auto escaped_def = x3::char_;

const auto quoted_body =
    x3::lexeme['"' > x3::raw[*(('\\' > escaped) | ~x3::char_("\"\\"))][push_quoted] > close_quote];
const auto word_body = x3::lexeme[x3::raw[+word_char][push_word] >> -x3::lit('*')[mark_prefix]];
const auto word = !any_keyword >> word_body;
const auto regex =
    x3::lexeme['/' > x3::raw[*(('\\' > escaped) | ~x3::char_("/\\"))][push_regex] > close_regex];
const auto lexicon = x3::lexeme['@' > lexicon_name];
const auto homophone_target_def = quoted_body | word;
const auto homophone = (x3::raw[x3::lit('~')][note_operator] > homophone_target)[mark_homophone];
const auto group = '(' > or_expr > close_paren;

const auto primary_def = group | quoted_body | regex | lexicon | homophone | word;
const auto unary_def =
    ((x3::raw[x3::lit('!') | keyword("NOT")][note_operator] > unary)[make_not]) | primary;
const auto prox_expr_def = unary >> *((keyword("NEAR") > distance_slash > distance >
                                       unary)[MakeProximity<Kind::kNear>{}] |
                                      (keyword("BEFORE") > distance_slash > distance >
                                       unary)[MakeProximity<Kind::kBefore>{}]);
const auto seq_expr_def = prox_expr >> *(prox_expr[make_sequence]);
const auto and_expr_def = seq_expr >> *(((x3::lit('&') | keyword("AND")) > seq_expr)[make_and]);
const auto or_expr_def = and_expr >> *(((x3::lit('|') | keyword("OR")) > and_expr)[make_or]);

BOOST_SPIRIT_DEFINE(or_expr, and_expr, seq_expr, prox_expr, unary, primary, close_paren,
                    close_quote, close_regex, lexicon_name, distance_slash, distance,
                    homophone_target, escaped)

}  // namespace

std::variant<PatternNode, GrammarError> parse_grammar(std::string_view source,
                                                      std::uint32_t max_distance) {
  Builder b{source.data(), max_distance, {}, {}, {}};
  const char* first = source.data();
  const char* const last = first + source.size();
  try {
    const bool ok =
        x3::phrase_parse(first, last, x3::with<builder_tag>(std::ref(b))[or_expr], skipper);
    if (!ok || first != last || b.stack.size() != 1) {
      return GrammarError{static_cast<std::size_t>(first - source.data()), ok ? "" : kOperand};
    }
  } catch (const x3::expectation_failure<const char*>& e) {
    return GrammarError{static_cast<std::size_t>(e.where() - source.data()), e.which()};
  } catch (const ActionError& e) {
    return GrammarError{static_cast<std::size_t>(e.where - source.data()), e.message, true};
  }
  return std::move(b.stack.back());
}

}  // namespace tact::internal
