#include "playbook/schema.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace tact::internal {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

const char* kind_name(const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::kNull:
      return "nothing";
    case YamlNode::Kind::kScalar:
      return "text";
    case YamlNode::Kind::kSequence:
      return "a list";
    case YamlNode::Kind::kMap:
      return "a mapping";
  }
  return "?";
}

}  // namespace

std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& allowed) {
  std::string best;
  std::size_t best_distance = 3;
  for (std::string_view a : allowed) {
    const std::size_t d = edit_distance(key, a);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(a);
    }
  }
  return best;
}

const std::string& scalar_of(const YamlNode& node, std::string_view what) {
  if (!node.is_scalar()) {
    throw SchemaError{node.pos, std::string(what) + ": expected text, found " + kind_name(node)};
  }
  return node.scalar;
}

Fields::Fields(const YamlNode& node, std::string what, std::vector<std::string_view> allowed)
    : node_(node), what_(std::move(what)), allowed_(std::move(allowed)) {
  if (!node.is_map()) {
    std::string msg = what_ + ": expected a mapping of keys, found " + kind_name(node);
    // A full-width colon makes "id：R1" one scalar instead of a key and a value.
    if (node.is_scalar() && node.scalar.find("\xEF\xBC\x9A") != std::string::npos) {
      msg += " (a full-width colon '：' (U+FF1A) does not separate a key from its value; use ':')";
    }
    throw SchemaError{node.pos, msg};
  }
  for (const YamlEntry& e : node.entries) {
    if (std::find(allowed_.begin(), allowed_.end(), e.key) != allowed_.end()) continue;
    std::string msg = what_ + ": unknown key '" + e.key + "'";
    const std::string suggestion = did_you_mean(e.key, allowed_);
    if (!suggestion.empty()) {
      msg += " (did you mean '" + suggestion + "'?)";
    } else if (e.key.find("\xEF\xBC\x9A") != std::string::npos) {
      msg += " (a full-width colon '：' (U+FF1A) does not separate a key from its value; use ':')";
    } else {
      std::string keys;
      for (std::string_view a : allowed_) keys += (keys.empty() ? "" : ", ") + std::string(a);
      msg += " (expected one of: " + keys + ")";
    }
    throw SchemaError{e.key_pos, msg};
  }
}

const YamlNode* Fields::get(std::string_view key) const {
  const YamlEntry* e = node_.find(key);
  return (e == nullptr || e->value.is_null()) ? nullptr : &e->value;
}

const YamlNode& Fields::required(std::string_view key) const {
  const YamlNode* n = get(key);
  if (n == nullptr)
    throw SchemaError{node_.pos, what_ + ": missing required key '" + std::string(key) + "'"};
  return *n;
}

std::optional<std::string> Fields::text(std::string_view key) const {
  const YamlNode* n = get(key);
  if (n == nullptr) return std::nullopt;
  return scalar_of(*n, what_ + " " + std::string(key));
}

std::string Fields::required_text(std::string_view key) const {
  return scalar_of(required(key), what_ + " " + std::string(key));
}

std::vector<std::string> Fields::text_list(std::string_view key) const {
  const YamlNode* n = get(key);
  if (n == nullptr) return {};
  if (n->is_scalar()) return {n->scalar};
  if (!n->is_sequence()) {
    throw SchemaError{n->pos,
                      what_ + " " + std::string(key) + ": expected a list, found " + kind_name(*n)};
  }
  std::vector<std::string> out;
  for (const YamlNode& item : n->items)
    out.push_back(scalar_of(item, what_ + " " + std::string(key)));
  return out;
}

std::optional<std::int64_t> Fields::integer(std::string_view key, std::int64_t min,
                                            std::int64_t max) const {
  const YamlNode* n = get(key);
  if (n == nullptr) return std::nullopt;
  const std::string& s = scalar_of(*n, what_ + " " + std::string(key));
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno != 0 || v < min || v > max) {
    throw SchemaError{n->pos, what_ + " " + std::string(key) + ": expected a whole number from " +
                                  std::to_string(min) + " to " + std::to_string(max) + ", found '" +
                                  s + "'"};
  }
  return v;
}

std::optional<double> Fields::number(std::string_view key, double min) const {
  const YamlNode* n = get(key);
  if (n == nullptr) return std::nullopt;
  const std::string& s = scalar_of(*n, what_ + " " + std::string(key));
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !(v >= min) || v > 1e9) {
    throw SchemaError{n->pos,
                      what_ + " " + std::string(key) + ": expected a number, found '" + s + "'"};
  }
  return v;
}

}  // namespace tact::internal
