// Writes the benchmark corpus for the Python baselines: OUTDIR/utterances.txt (one per line) and
// OUTDIR/phrases-N.txt (the literal phrases of the N-pattern set, one per line).
#include <fstream>
#include <iostream>

#include "corpus.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: tact_bench_corpus OUTDIR UTTERANCES\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::ofstream u(dir + "/utterances.txt");
  for (const std::string& s : tact::bench::utterances(std::stoul(argv[2]))) u << s << "\n";
  for (std::size_t n : {100, 1000, 10000}) {
    std::ofstream p(dir + "/phrases-" + std::to_string(n) + ".txt");
    for (const std::string& s : tact::bench::phrases_of(tact::bench::patterns(n))) p << s << "\n";
  }
  return u && u.good() ? 0 : 1;
}
