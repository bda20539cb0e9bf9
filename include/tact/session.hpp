// A Session follows one call and returns guidance after every turn:
//
//   tact::Session s = playbook.start_session();
//   tact::Result<tact::Guidance> g = s.feed({tact::Speaker::kAgent, "您先别生气"});
//   for (const tact::Finding& f : g->findings) std::cout << f.tags[0];   // dismiss_emotion
//   tact::Result<tact::CallReport> report = s.finish();                  // + missing steps
//
// Threading: a Session is not thread-safe; use one per call. Many Sessions share one Playbook,
// which each keeps alive. Memory per session is constant for a call of any length: the session
// keeps counters and the last turn each remembered condition held, never the transcript.
#pragma once

#include <memory>
#include <vector>

#include "tact/guidance.hpp"
#include "tact/status.hpp"
#include "tact/transcript.hpp"

namespace tact {

class Playbook;
struct TurnTrace;

class Session {
 public:
  struct State;  // opaque: src/session/state.hpp

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  /// Feeds one finished turn. The text is UTF-8 (invalid bytes are replaced) and is not kept.
  /// Spans index the turn's text in code points. Errors: kLimit (turn too long; the session
  /// goes on), kInvalidArgument (after finish()).
  [[nodiscard]] Result<Guidance> feed(const Turn& turn);

  /// The same, into `out` (replacing its contents), so that a caller feeding many turns reuses
  /// the buffers: the batch path of `tact qa`.
  [[nodiscard]] Status feed(const Turn& turn, Guidance& out);

  /// Feeds one turn for the call report alone: its findings go to finish()'s report and no
  /// guidance is built (no recommendations, intents or stage per turn). The session's state
  /// advances exactly as with feed(), so the two may be mixed. The batch path of `tact qa`.
  [[nodiscard]] Status observe(const Turn& turn);

  /// Ends the call: required steps that never happened become findings of kind kMissing.
  /// Errors: kInvalidArgument if called twice.
  [[nodiscard]] Result<CallReport> finish();

 private:
  friend class Playbook;
  friend Result<TurnTrace> explain_turn(const Playbook&, const std::vector<Turn>&, const Turn&);
  Status feed(const Turn& turn, Guidance* out, TurnTrace* trace);
  explicit Session(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace tact
