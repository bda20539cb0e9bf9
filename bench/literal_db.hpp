// Shared by the raw-scan benchmarks: a Hyperscan database of plain literals (the practical
// ceiling for tact's matcher) and a callback that only counts hits.
#pragma once

#include <hs/hs.h>

#include <cstddef>
#include <string>
#include <vector>

namespace tact::bench {

/// Compiles `literals` with hs_compile_lit_multi (ids are their indexes); null with `error` set
/// on failure. The caller frees the database.
inline hs_database_t* compile_literals(const std::vector<std::string>& literals,
                                       std::string& error) {
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> flags(literals.size(), 0), ids;
  for (std::size_t i = 0; i < literals.size(); ++i) {
    ptrs.push_back(literals[i].c_str());
    lens.push_back(literals[i].size());
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(ptrs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(ptrs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &err) != HS_SUCCESS) {
    error = err ? err->message : "hs_compile_lit_multi failed";
    hs_free_compile_error(err);
    return nullptr;
  }
  return db;
}

/// hs_scan callback: adds one to the std::size_t that `ctx` points to.
inline int count_hit(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++*static_cast<std::size_t*>(ctx);
  return 0;
}

}  // namespace tact::bench
