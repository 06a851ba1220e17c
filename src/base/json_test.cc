#include "base/json.h"

#include <gtest/gtest.h>

namespace fw {
namespace {

TEST(Json, ParseErrorNamesTheField) {
  auto r = ParseJsonObject("{not json", "answer");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].field, "answer");
}

TEST(Json, NonObjectIsRejected) {
  auto r = ParseJsonObject("[1,2]");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().details[0].code, "type");
}

TEST(Json, TypedAccessors) {
  auto o = ParseJsonObject(R"({"s":"x","i":3,"d":2.0,"f":2.5,"b":true,"n":null})").value();
  EXPECT_EQ(RequiredString(o, "s").value(), "x");
  EXPECT_EQ(RequiredInt(o, "i").value(), 3);
  EXPECT_EQ(RequiredInt(o, "d").value(), 2);
  EXPECT_FALSE(RequiredInt(o, "f"));
  EXPECT_EQ(RequiredInt(o, "f").error().details[0].code, "type");
  EXPECT_FALSE(RequiredString(o, "missing"));
  EXPECT_EQ(RequiredString(o, "missing").error().details[0].code, "required");
  EXPECT_FALSE(OptionalString(o, "n").value().has_value());
  EXPECT_FALSE(OptionalString(o, "i"));
  EXPECT_TRUE(OptionalBool(o, "b").value().value());
}

TEST(Json, DuplicateKeysAreRefusedInEveryObject) {
  auto top = ParseJsonObject(R"({"password":"wrong","password":"right"})");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().details[0].code, "duplicate_key");
  auto nested = ParseJsonObject(R"({"a":{"k":1,"x":[{"k":2,"k":3}]}})");
  ASSERT_FALSE(nested);
  EXPECT_EQ(FindDuplicateKey(R"({"a":{"k":1,"x":[{"k":2,"k":3}]}})"), "k");
  // The same key in sibling and nested objects is not a duplicate.
  EXPECT_TRUE(ParseJsonObject(R"({"k":{"k":1},"x":[{"k":1},{"k":2}]})"));
  // Escapes are compared as decoded keys.
  EXPECT_EQ(FindDuplicateKey(R"({"a":1,"\u0061":2})"), "a");
  EXPECT_FALSE(FindDuplicateKey(R"([1,2,{"a":1}])"));
}

TEST(Json, UnknownKeysAreNamedOneDetailEach) {
  auto body = ParseJsonObject(R"({"name":"x","colour":1,"size":2})");
  ASSERT_TRUE(body);
  EXPECT_TRUE(RejectUnknownKeys(*body, {"name", "colour", "size"}));
  auto refused = RejectUnknownKeys(*body, {"name"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(refused.error().details.size(), 2u);
  EXPECT_EQ(refused.error().details[0], (FieldError{"colour", "unknown_key", "not a known field"}));
  EXPECT_EQ(refused.error().details[1].field, "size");
}

}  // namespace
}  // namespace fw

namespace fw {
namespace {

TEST(Json, NumbersInTheShortestFormThatReadsBack) {
  EXPECT_EQ(ToJson(json::value(0.999)), "0.999");
  EXPECT_EQ(ToJson(json::value(0.9999548273743190)), "0.999954827374319");
  EXPECT_EQ(ToJson(json::value(1.0)), "1.0");
  EXPECT_EQ(ToJson(json::value(-2.5)), "-2.5");
  EXPECT_EQ(ToJson(json::value(1e-7)), "1e-07");
  EXPECT_EQ(ToJson(json::value(1e21)), "1e+21");
  EXPECT_EQ(ToJson(json::value(std::nan(""))), "null");
  EXPECT_EQ(ToJson(json::value(std::int64_t{-42})), "-42");
  EXPECT_EQ(ToJson(json::value(std::uint64_t{18446744073709551615ULL})), "18446744073709551615");
  for (double d : {0.1, 1.0 / 3, 6.02214076e23, 5e-324, 1.7976931348623157e308, -0.0}) {
    json::value back = json::parse(ToJson(json::value(d)));
    ASSERT_TRUE(back.is_double()) << ToJson(json::value(d));
    EXPECT_EQ(back.as_double(), d);
  }
}

TEST(Json, ValuesSerializeCompactlyWithTheEscapesJsonRequires) {
  json::value v = json::parse(R"({"a":[1,true,null,"x\"y\\z\n\u0001é"],"b":{"c":0.5}})");
  EXPECT_EQ(ToJson(v), "{\"a\":[1,true,null,\"x\\\"y\\\\z\\n\\u0001é\"],\"b\":{\"c\":0.5}}");
  EXPECT_EQ(json::parse(ToJson(v)), v);
  EXPECT_EQ(ToJson(json::object{}), "{}");
  EXPECT_EQ(ToJson(json::array{}), "[]");
}

}  // namespace
}  // namespace fw

namespace fw {
namespace {

TEST(ParseTime, ReadsRfc3339TimesAndDates) {
  EXPECT_EQ(ParseTime("1970-01-01T00:00:00Z"), std::optional<UnixSeconds>(0));
  EXPECT_EQ(ParseTime("2026-11-25T10:00:00Z"), std::optional<UnixSeconds>(1'795'600'800));
  EXPECT_EQ(ParseTime("2026-11-25"), std::optional<UnixSeconds>(1'795'564'800));
  EXPECT_EQ(ParseTime("2026-11-25T11:00:00.250+01:00"), ParseTime("2026-11-25T10:00:00Z"));
  EXPECT_EQ(ParseTime("2024-02-29"), std::optional<UnixSeconds>(1'709'164'800));
  EXPECT_EQ(FormatTime(*ParseTime("2031-07-04T23:59:59Z")), "2031-07-04T23:59:59Z");
}

TEST(ParseTime, RefusesWhatIsNoTime) {
  for (const char* bad : {"", "2026", "2026-13-01", "2026-02-30", "2023-02-29", "2026-11-25T",
                          "2026-11-25T10:00:00", "2026-11-25T24:00:00Z", "2026-11-25 10:00:00Z",
                          "1969-12-31", "2026-11-25T10:00:00Zjunk", "2026-1-05", "next tuesday"}) {
    EXPECT_FALSE(ParseTime(bad)) << bad;
  }
}

TEST(Json, OptionalTimeNamesTheField) {
  auto obj = boost::json::parse(R"({"a":"2027-01-31","b":"soon","c":7})").as_object();
  EXPECT_EQ(*OptionalTime(obj, "a"), ParseTime("2027-01-31"));
  EXPECT_FALSE(*OptionalTime(obj, "missing"));
  auto bad = OptionalTime(obj, "b");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().details.at(0).field, "b");
  EXPECT_EQ(bad.error().details.at(0).code, "invalid");
  ASSERT_FALSE(OptionalTime(obj, "c"));
}

}  // namespace
}  // namespace fw
