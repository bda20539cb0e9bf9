// Conformance data from other projects (see ../shared/conformance/README.md):
//  - OpenCC's own t2s / tw2s / hk2s test cases: the traditional text and its simplified form must
//    normalise alike, so a simplified pattern matches traditional speech.
//  - Unicode's NormalizationTest.txt: all five columns of a row share one NFKC form, so they
//    must normalise alike (this checks the per-code-point tables against ICU's whole-string
//    normaliser, combining sequences included).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tact/normalize.hpp"

namespace {

std::string norm(std::string_view s) { return tact::Normalizer::standard().normalize(s).text; }

// Minimal extraction of a JSON string field; the file is machine-written, one object a line.
std::string json_field(const std::string& line, const std::string& key) {
  const std::string needle = "\"" + key + "\": \"";
  std::size_t at = line.find(needle);
  if (at == std::string::npos) return "";
  std::string out;
  for (std::size_t i = at + needle.size(); i < line.size() && line[i] != '"'; ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) ++i;
    out.push_back(line[i]);
  }
  return out;
}

TEST(Conformance, OpenCcTraditionalAndSimplifiedNormaliseAlike) {
  std::ifstream in(TACT_SHARED_DIR "/conformance/opencc-to-simplified.jsonl");
  if (!in) GTEST_SKIP() << "shared/conformance not present";
  int total = 0, same = 0;
  std::vector<std::string> failures;
  for (std::string line; std::getline(in, line);) {
    const std::string input = json_field(line, "input"), expected = json_field(line, "expected");
    if (input.empty()) continue;
    ++total;
    if (norm(input) == norm(expected)) {
      ++same;
    } else if (failures.size() < 10) {
      failures.push_back(json_field(line, "id") + ": " + norm(input) + " vs " + norm(expected));
    }
  }
  ASSERT_GT(total, 100);
  // Character classes cannot follow every contextual choice: 98 of the 108 cases normalise alike.
  // The other ten convert one character two ways by context (坏 is 壞 but also 坯 in 坏布), or
  // come from OpenCC releases newer than Debian's dictionaries (貍/狸, 遶/绕, 幷/并). A drop below
  // 98 means a regression in the generated tables.
  for (const std::string& f : failures) std::cout << "  differs: " << f << "\n";
  EXPECT_GE(same, 98) << same << " of " << total;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, sep);) out.push_back(part);
  return out;
}

std::string utf8_of_hex_list(const std::string& field) {
  std::string out;
  std::stringstream ss(field);
  for (std::string hex; ss >> hex;) {
    const unsigned long c = std::stoul(hex, nullptr, 16);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

TEST(Conformance, UnicodeNormalizationTestColumnsNormaliseAlike) {
  FILE* pipe = popen("bzcat " TACT_UNICODE_DIR "/NormalizationTest.txt.bz2 2>/dev/null", "r");
  ASSERT_NE(pipe, nullptr);
  int rows = 0, mismatches = 0;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) {
    std::string line(buf);
    if (line.empty() || line[0] == '#' || line[0] == '@') continue;
    std::vector<std::string> cols = split(line.substr(0, line.find('#')), ';');
    if (cols.size() < 5) continue;
    // U+0345 (ypogegrammeni) case-folds to the starter ι, so NFKC_Casefold, unlike NFKC, is not
    // invariant under reordering it: ICU itself gives these rows different NFKC_CF forms.
    if (line.find("0345") != std::string::npos) continue;
    ++rows;
    const std::string want = norm(utf8_of_hex_list(cols[4]));  // the NFKD column
    for (int c = 0; c < 5; ++c) {
      if (norm(utf8_of_hex_list(cols[c])) != want && ++mismatches <= 5) {
        ADD_FAILURE() << "row " << rows << " column " << c + 1 << ": " << cols[c];
      }
    }
  }
  pclose(pipe);
  if (rows == 0) GTEST_SKIP() << "NormalizationTest.txt.bz2 not found (package unicode-data)";
  EXPECT_EQ(mismatches, 0) << "of " << rows << " rows";
}

}  // namespace
