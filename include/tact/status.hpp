// Errors as values. Nothing in tact's public API throws: fallible calls return a Status or a
// Result<T>, both [[nodiscard]], so hosts built without exceptions and the C ABI can use them.
//
//   tact::Result<tact::Pattern> p = tact::Pattern::parse("(退款 | refund");
//   if (!p.ok()) std::cerr << p.status() << "\n";
//   // pattern error at column 14: expected ')' to close '(' at column 1
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <variant>

namespace tact {

/// What kind of failure a Status reports. Stable: scripts and bindings may switch on it.
enum class ErrorCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument,  // a caller passed something meaningless
  kPatternSyntax,    // the pattern language could not parse the text
  kPatternCompile,   // the pattern parsed but cannot be compiled (unknown lexicon, bad regex, ...)
  kPlaybook,         // a playbook file is malformed
  kLimit,            // an explicit resource limit was exceeded
  kIo,               // a file could not be read
  kInternal,         // a bug in tact or a dependency; please report
};

/// Where in a source an error points. Lines and columns are 1-based; columns count code points.
/// A field is 0 when unknown.
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// Success, or an error code with a message that reads like a compiler diagnostic.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, SourceLocation where = {})
      : code_(code), message_(std::move(message)), where_(std::move(where)) {}

  static Status ok_status() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  /// The message without the location prefix.
  const std::string& message() const { return message_; }
  const SourceLocation& where() const { return where_; }

  /// "file:line:col: message", dropping the parts of the location that are unknown.
  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  SourceLocation where_;
};

inline std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string out;
  if (!where_.file.empty()) out += where_.file + ":";
  if (where_.line != 0) {
    out += std::to_string(where_.line) + ":";
    if (where_.column != 0) out += std::to_string(where_.column) + ":";
  }
  if (!out.empty()) out += " ";
  return out + message_;
}

inline std::ostream& operator<<(std::ostream& os, const Status& s) { return os << s.to_string(); }

/// A value or the Status that explains why there is none; shaped like std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}       // NOLINT: implicit, like std::expected
  Result(Status error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  /// The error; an ok Status when there is a value.
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }

  /// The value. Calling these on an error is a programming mistake (std::bad_variant_access).
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace tact
