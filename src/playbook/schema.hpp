// Reading a YAML mapping against a schema: known keys, types, positions in every error, and a
// did-you-mean for unknown keys. Errors are thrown as SchemaError inside the loader only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "playbook/yaml.hpp"

namespace tact::internal {

/// A located error while reading a playbook (caught in load.cpp and turned into a Status).
struct SchemaError {
  SchemaError(YamlPos p, std::string m, ErrorCode c = ErrorCode::kPlaybook, std::string f = {})
      : pos(p), message(std::move(m)), code(c), file(std::move(f)) {}
  YamlPos pos;
  std::string message;
  ErrorCode code;
  std::string file;  // where `pos` is, when not the playbook being read (a model file)
};

/// The mapping of one YAML object, with the keys it may hold. Every accessor marks its key as
/// known; finish() reports the first key nobody asked for.
class Fields {
 public:
  /// `what` names the object in messages ("rule", "intent"). Throws if `node` is not a mapping.
  Fields(const YamlNode& node, std::string what, std::vector<std::string_view> allowed);

  const YamlNode* get(std::string_view key) const;  // nullptr when absent (or null)
  const YamlNode& required(std::string_view key) const;
  std::optional<std::string> text(std::string_view key) const;  // a scalar
  std::string required_text(std::string_view key) const;
  std::vector<std::string> text_list(std::string_view key) const;  // a scalar or a list of them
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min,
                                      std::int64_t max) const;
  std::optional<double> number(std::string_view key, double min) const;

  const YamlNode& node() const { return node_; }
  const std::string& what() const { return what_; }

 private:
  const YamlNode& node_;
  std::string what_;
  std::vector<std::string_view> allowed_;
};

/// The allowed key closest to `key` (edit distance at most 2), or empty.
std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& allowed);

/// Throws SchemaError at `node` unless it is a scalar; returns its text.
const std::string& scalar_of(const YamlNode& node, std::string_view what);

}  // namespace tact::internal
