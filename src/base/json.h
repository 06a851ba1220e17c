#pragma once
// JSON helpers over Boost.JSON: parsing that returns errors as values, and typed field
// access that names the field at fault. Thread safety: free functions, no shared state.

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"

namespace fw {

namespace json = boost::json;

// Parses `text` as one JSON value. Errors: kInvalidArgument (not JSON; the message names the
// offset), with `field` used as the detail's field name.
[[nodiscard]] Result<json::value> ParseJson(std::string_view text, std::string_view field = "body");

// The first key that appears twice in one object of `text` (valid JSON), or nullopt.
std::optional<std::string> FindDuplicateKey(std::string_view text);

// Parses `text` as a JSON object, as request bodies are read. Errors: kInvalidArgument (not
// JSON, not an object, or an object with a key twice: detail code "duplicate_key").
[[nodiscard]] Result<json::object> ParseJsonObject(std::string_view text,
                                                   std::string_view field = "body");

// Typed access to a member of `obj`. `Required*` fail with kInvalidArgument naming `key`
// (code "required" when absent, "type" when of the wrong type); `Optional*` return nullopt
// when the key is absent or null and fail only on a wrong type.
[[nodiscard]] Result<std::string> RequiredString(const json::object& obj, std::string_view key);
[[nodiscard]] Result<std::optional<std::string>> OptionalString(const json::object& obj,
                                                                std::string_view key);
[[nodiscard]] Result<std::int64_t> RequiredInt(const json::object& obj, std::string_view key);
[[nodiscard]] Result<std::optional<std::int64_t>> OptionalInt(const json::object& obj,
                                                              std::string_view key);
[[nodiscard]] Result<std::optional<double>> OptionalNumber(const json::object& obj,
                                                           std::string_view key);
[[nodiscard]] Result<std::optional<bool>> OptionalBool(const json::object& obj,
                                                       std::string_view key);
// An RFC 3339 time or a calendar date (see ParseTime); code "type" for a non-string, "invalid"
// for a string that is neither.
[[nodiscard]] Result<std::optional<UnixSeconds>> OptionalTime(const json::object& obj,
                                                              std::string_view key);
// An array of strings; nullopt when absent or null. Errors: code "type" naming `key` (not an
// array) or "key[i]" (a member that is not a string), and "too_many" past `max_items`.
[[nodiscard]] Result<std::optional<std::vector<std::string>>> OptionalStringArray(
    const json::object& obj, std::string_view key, std::size_t max_items = 1000);
// Returns nullptr when absent; fails with kInvalidArgument when present but not an object.
[[nodiscard]] Result<const json::object*> OptionalObject(const json::object& obj,
                                                         std::string_view key);

// Fails with kInvalidArgument, one detail (code "unknown_key") per member of `obj` whose key
// is not in `allowed`.
[[nodiscard]] Status RejectUnknownKeys(const json::object& obj,
                                       std::initializer_list<std::string_view> allowed);

// The error a typed accessor returns, for callers validating by hand.
Error FieldTypeError(std::string_view field, std::string_view expected);
Error FieldRequiredError(std::string_view field);

// Serializes compactly, as every JSON the server writes is: numbers in the shortest form that
// reads back as the same value (0.999, 1e-07; a double keeps a ".0": 1.0), NaN and infinities
// as null, strings with only the escapes JSON requires (UTF-8 passes through).
std::string ToJson(const json::value& v);
// Appends ToJson(v) to `out`.
void AppendJson(std::string& out, const json::value& v);
// Appends `s` as a JSON string; `s` must be valid UTF-8.
void AppendJsonString(std::string& out, std::string_view s);
// Appends a double as ToJson writes it.
void AppendJsonNumber(std::string& out, double v);

// A stored JSON array of strings as a vector, and back. Reading skips what is not a string and
// reads anything but an array as empty (stored arrays are written by ToJsonStringArray).
std::vector<std::string> ParseStringArray(std::string_view text);
std::string ToJsonStringArray(const std::vector<std::string>& items);

// Returns a number as double when `v` is int64, uint64 or double; nullopt otherwise.
std::optional<double> AsNumber(const json::value& v);
// Returns an integral value (including a double with no fraction); nullopt otherwise.
std::optional<std::int64_t> AsInteger(const json::value& v);

}  // namespace fw
