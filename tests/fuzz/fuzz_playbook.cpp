// Playbook loader fuzzer: any bytes either load, and then a session runs over a short call, or
// fail with a message and the file's name — never a crash or a hang (RELIABILITY.md's catalogue
// of bad YAML, found anew). Inputs with '/' are skipped: Hyperscan's compile time for arbitrary
// regexes is its own concern (the pattern fuzzer does the same).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tact/playbook.hpp"
#include "tact/session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (text.find('/') != std::string::npos) return 0;
  tact::Result<tact::Playbook> pb = tact::Playbook::parse({{"f.yaml", text}});
  if (!pb.ok()) {
    if (pb.status().message().empty() || pb.status().where().file != "f.yaml") std::abort();
    return 0;
  }
  tact::Session session = pb->start_session();
  for (const tact::Turn& t :
       {tact::Turn{tact::Speaker::kAgent, "您好，请问有什么可以帮您？", {}, {}},
        tact::Turn{tact::Speaker::kCustomer, "你们乱扣钱 refund now", {}, {}},
        tact::Turn{tact::Speaker::kAgent, "您先别生气 sorry", {}, {}}}) {
    if (!session.feed(t).ok()) std::abort();
  }
  if (!session.finish().ok()) std::abort();
  return 0;
}
