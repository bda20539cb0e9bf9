// Writes the benchmark corpora: OUTDIR/utterances.txt (one per line), OUTDIR/phrases-N.txt (the
// literal phrases of the N-pattern set, one per line) and OUTDIR/calls.jsonl (CALLS whole calls).
#include <fstream>
#include <iostream>

#include "corpus.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: tact_bench_corpus OUTDIR UTTERANCES CALLS\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::ofstream u(dir + "/utterances.txt");
  for (const std::string& s : tact::bench::utterances(std::stoul(argv[2]))) u << s << "\n";
  for (std::size_t n : {100, 1000, 10000}) {
    std::ofstream p(dir + "/phrases-" + std::to_string(n) + ".txt");
    for (const std::string& s : tact::bench::phrases_of(tact::bench::patterns(n))) p << s << "\n";
  }
  std::ofstream c(dir + "/calls.jsonl");
  for (std::size_t i = 0, n = std::stoul(argv[3]); i < n; ++i)
    c << tact::bench::call_jsonl(i) << "\n";
  return u.good() && c.good() ? 0 : 1;
}
