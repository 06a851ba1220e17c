#include "base/json.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

namespace fw {

Result<json::value> ParseJson(std::string_view text, std::string_view field) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  json::value v = json::parse(text, ec, {}, opts);
  if (ec) {
    return InvalidArgument(fmt::format("{} is not valid JSON: {}", field, ec.message()),
                           {{std::string(field), "invalid_json", ec.message()}});
  }
  return v;
}

namespace {

// A basic_parser handler that builds nothing and fails on the first object with a key
// twice. Boost.JSON keeps the last of duplicate keys silently, so a request could carry one
// value past a check and another into the handler.
class DuplicateKeyFinder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  const std::string& duplicate() const { return duplicate_; }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    keys_.pop_back();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    partial_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    partial_.append(s.data(), s.size());
    std::vector<std::string>& seen = keys_.back();
    for (const std::string& k : seen) {
      if (k == partial_) {
        duplicate_ = std::move(partial_);
        partial_.clear();
        ec = json::make_error_code(json::error::syntax);
        return false;
      }
    }
    seen.push_back(std::move(partial_));
    partial_.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  std::vector<std::vector<std::string>> keys_;  // the keys of each open object
  std::string partial_;
  std::string duplicate_;
};

}  // namespace

std::optional<std::string> FindDuplicateKey(std::string_view text) {
  json::parse_options opts;
  opts.max_depth = 64;
  json::basic_parser<DuplicateKeyFinder> p(opts);
  json::error_code ec;
  p.write_some(false, text.data(), text.size(), ec);
  if (ec && !p.handler().duplicate().empty()) return p.handler().duplicate();
  return std::nullopt;
}

Result<json::object> ParseJsonObject(std::string_view text, std::string_view field) {
  FW_TRY(json::value v, ParseJson(text, field));
  if (!v.is_object()) {
    return InvalidArgument(fmt::format("{} must be a JSON object", field),
                           {{std::string(field), "type", "expected an object"}});
  }
  if (auto dup = FindDuplicateKey(text)) {
    return InvalidArgument(
        fmt::format("{} has the key \"{}\" twice", field, *dup),
        {{std::string(field), "duplicate_key", fmt::format("duplicate key \"{}\"", *dup)}});
  }
  return std::move(v.as_object());
}

Error FieldTypeError(std::string_view field, std::string_view expected) {
  return Error(ErrorCode::kInvalidArgument, fmt::format("{} must be {}", field, expected),
               {{std::string(field), "type", fmt::format("expected {}", expected)}});
}

Status RejectUnknownKeys(const json::object& obj, std::initializer_list<std::string_view> allowed) {
  std::vector<FieldError> errors;
  for (const auto& kv : obj) {
    if (std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end()) {
      errors.push_back({std::string(kv.key()), "unknown_key", "not a known field"});
    }
  }
  if (!errors.empty()) return InvalidArgument("the body has unknown fields", std::move(errors));
  return {};
}

Error FieldRequiredError(std::string_view field) {
  return Error(ErrorCode::kInvalidArgument, fmt::format("{} is required", field),
               {{std::string(field), "required", "this field is required"}});
}

namespace {
const json::value* Find(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return nullptr;
  return &it->value();
}
}  // namespace

Result<std::string> RequiredString(const json::object& obj, std::string_view key) {
  FW_TRY(auto v, OptionalString(obj, key));
  if (!v) return Fail(FieldRequiredError(key));
  return std::move(*v);
}

Result<std::optional<std::string>> OptionalString(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return Fail(FieldTypeError(key, "a string"));
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::int64_t> RequiredInt(const json::object& obj, std::string_view key) {
  FW_TRY(auto v, OptionalInt(obj, key));
  if (!v) return Fail(FieldRequiredError(key));
  return *v;
}

Result<std::optional<std::int64_t>> OptionalInt(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<std::int64_t>();
  auto i = AsInteger(*v);
  if (!i) return Fail(FieldTypeError(key, "an integer"));
  return std::optional<std::int64_t>(*i);
}

Result<std::optional<double>> OptionalNumber(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<double>();
  auto d = AsNumber(*v);
  if (!d) return Fail(FieldTypeError(key, "a number"));
  return std::optional<double>(*d);
}

Result<std::optional<UnixSeconds>> OptionalTime(const json::object& obj, std::string_view key) {
  FW_TRY(auto text, OptionalString(obj, key));
  if (!text) return std::optional<UnixSeconds>();
  auto t = ParseTime(*text);
  if (!t) {
    return InvalidArgument(
        fmt::format("{} is not a time", key),
        {{std::string(key), "invalid",
          "an RFC 3339 time such as 2027-01-31T00:00:00Z, or a date 2027-01-31"}});
  }
  return std::optional<UnixSeconds>(*t);
}

Result<std::optional<bool>> OptionalBool(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<bool>();
  if (!v->is_bool()) return Fail(FieldTypeError(key, "a boolean"));
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<std::vector<std::string>>> OptionalStringArray(const json::object& obj,
                                                                    std::string_view key,
                                                                    std::size_t max_items) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return Fail(FieldTypeError(key, "an array of strings"));
  const json::array& a = v->as_array();
  if (a.size() > max_items) {
    return InvalidArgument(fmt::format("{} has too many members", key),
                           {{std::string(key), "too_many", fmt::format("at most {}", max_items)}});
  }
  std::vector<std::string> out;
  out.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) return Fail(FieldTypeError(fmt::format("{}[{}]", key, i), "a string"));
    out.emplace_back(a[i].as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<const json::object*> OptionalObject(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) return Fail(FieldTypeError(key, "an object"));
  return &v->as_object();
}

// Which bytes a JSON string must escape: the control characters, '"' and '\\'.
constexpr std::array<bool, 256> kMustEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}();

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  const char* run = p;
  for (; p < end; ++p) {
    auto c = static_cast<unsigned char>(*p);
    if (!kMustEscape[c]) continue;
    out.append(run, static_cast<std::size_t>(p - run));
    run = p + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default: {
        char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(run, static_cast<std::size_t>(end - run));
  out.push_back('"');
}

namespace {
template <typename T>
void AppendInteger(std::string& out, T v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}
}  // namespace

void AppendJsonNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
  out.append(text);
  // A double stays a double when read back: 1.0 is "1.0", not "1".
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void AppendJson(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      AppendInteger(out, v.get_int64());
      return;
    case json::kind::uint64:
      AppendInteger(out, v.get_uint64());
      return;
    case json::kind::double_:
      AppendJsonNumber(out, v.get_double());
      return;
    case json::kind::string:
      AppendJsonString(out, v.get_string());
      return;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const json::value& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJson(out, e);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(out, kv.key());
        out.push_back(':');
        AppendJson(out, kv.value());
      }
      out.push_back('}');
      return;
    }
  }
}

std::string ToJson(const json::value& v) {
  std::string out;
  out.reserve(128);
  AppendJson(out, v);
  return out;
}

std::vector<std::string> ParseStringArray(std::string_view text) {
  std::vector<std::string> out;
  if (text.size() <= 2) return out;  // "[]"
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& item : v.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

std::string ToJsonStringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(out, items[i]);
  }
  out.push_back(']');
  return out;
}

std::optional<double> AsNumber(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  return std::nullopt;
}

std::optional<std::int64_t> AsInteger(const json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) {
    if (v.as_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v.as_uint64());
  }
  if (v.is_double()) {
    double d = v.as_double();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

}  // namespace fw
