#include "base/json.h"

#include <cmath>

#include <fmt/format.h>

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

Result<json::object> ParseJsonObject(std::string_view text, std::string_view field) {
  FW_TRY(json::value v, ParseJson(text, field));
  if (!v.is_object()) {
    return InvalidArgument(fmt::format("{} must be a JSON object", field),
                           {{std::string(field), "type", "expected an object"}});
  }
  return std::move(v.as_object());
}

Error FieldTypeError(std::string_view field, std::string_view expected) {
  return Error(ErrorCode::kInvalidArgument, fmt::format("{} must be {}", field, expected),
               {{std::string(field), "type", fmt::format("expected {}", expected)}});
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

Result<std::optional<bool>> OptionalBool(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::optional<bool>();
  if (!v->is_bool()) return Fail(FieldTypeError(key, "a boolean"));
  return std::optional<bool>(v->as_bool());
}

Result<const json::object*> OptionalObject(const json::object& obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) return Fail(FieldTypeError(key, "an object"));
  return &v->as_object();
}

std::string ToJson(const json::value& v) { return json::serialize(v); }

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
