// Compiles a pattern and matches a traditional-script sentence; exits 0 only if it matched where
// expected.
#include <iostream>
#include <tact/matcher.hpp>

int main() {
  tact::Result<tact::Matcher> m = tact::Matcher::compile({"(不会 | 不可能) NEAR/3 乱扣钱"});
  if (!m.ok()) {
    std::cerr << m.status() << "\n";
    return 1;
  }
  tact::Result<tact::MatchResult> r = m->match("我們是不會亂扣錢的");
  if (!r.ok() || r->matches.size() != 1 || r->matches[0].span_count != 1) return 1;
  const tact::Span s = r->spans_of(r->matches[0])[0];
  std::cout << "matched [" << s.begin << ", " << s.end << ")\n";
  return (s.begin == 3 && s.end == 8) ? 0 : 1;
}
