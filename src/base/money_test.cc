#include "base/money.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace fw {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Currency Usd() { return *FindCurrency("USD"); }

TEST(Currency, KnowsExponentsOfIso4217) {
  EXPECT_EQ(FindCurrency("USD")->exponent, 2);
  EXPECT_EQ(FindCurrency("EUR")->exponent, 2);
  EXPECT_EQ(FindCurrency("JPY")->exponent, 0);
  EXPECT_EQ(FindCurrency("KWD")->exponent, 3);
  EXPECT_EQ(FindCurrency("CLF")->exponent, 4);
  EXPECT_FALSE(FindCurrency("usd"));
  EXPECT_FALSE(FindCurrency("XXX"));
  EXPECT_FALSE(FindCurrency(""));
  for (const Currency& c : Currencies()) EXPECT_EQ(FindCurrency(c.code), c);
}

TEST(ParseAmount, ReadsMajorUnitsIntoMinorUnits) {
  EXPECT_EQ(*ParseAmount("12.34", Usd()), 1234);
  EXPECT_EQ(*ParseAmount("12.3", Usd()), 1230);
  EXPECT_EQ(*ParseAmount("12", Usd()), 1200);
  EXPECT_EQ(*ParseAmount("-0.05", Usd()), -5);
  EXPECT_EQ(*ParseAmount("+1.00", Usd()), 100);
  EXPECT_EQ(*ParseAmount("1000", *FindCurrency("JPY")), 1000);
  EXPECT_EQ(*ParseAmount("1.234", *FindCurrency("KWD")), 1234);
  EXPECT_EQ(*ParseAmount("92233720368547758.07", Usd()), kMax);
  EXPECT_EQ(*ParseAmount("-92233720368547758.08", Usd()), kMin);
}

TEST(ParseAmount, NamesTheFieldAndTheReason) {
  auto code = [](Result<std::int64_t> r) {
    EXPECT_FALSE(r);
    if (r) return std::string();
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().details.at(0).field, "price");
    return r.error().details.at(0).code;
  };
  EXPECT_EQ(code(ParseAmount("1.234", Usd(), "price")), "too_precise");
  EXPECT_EQ(code(ParseAmount("1.5", *FindCurrency("JPY"), "price")), "too_precise");
  for (const char* bad : {"", "-", ".5", "1.", "1e3", "1,000", "12.3.4", " 1", "abc", "1-"}) {
    EXPECT_EQ(code(ParseAmount(bad, Usd(), "price")), "invalid") << bad;
  }
  EXPECT_EQ(code(ParseAmount("92233720368547758.08", Usd(), "price")), "out_of_range");
  EXPECT_EQ(code(ParseAmount("99999999999999999999999", Usd(), "price")), "out_of_range");
}

TEST(FormatAmount, WritesTheCurrencysDecimalPlaces) {
  EXPECT_EQ(FormatAmount(1234, Usd()), "12.34");
  EXPECT_EQ(FormatAmount(5, Usd()), "0.05");
  EXPECT_EQ(FormatAmount(-5, Usd()), "-0.05");
  EXPECT_EQ(FormatAmount(0, Usd()), "0.00");
  EXPECT_EQ(FormatAmount(1000, *FindCurrency("JPY")), "1000");
  EXPECT_EQ(FormatAmount(1, *FindCurrency("KWD")), "0.001");
  EXPECT_EQ(FormatAmount(kMin, Usd()), "-92233720368547758.08");
  EXPECT_EQ(FormatAmount(kMax, Usd()), "92233720368547758.07");
}

TEST(FormatAmount, ReadsBackAsTheSameAmount) {
  std::mt19937_64 rng(7);
  for (const Currency& c : Currencies()) {
    for (int i = 0; i < 50; ++i) {
      const auto v = static_cast<std::int64_t>(rng());
      EXPECT_EQ(*ParseAmount(FormatAmount(v, c), c), v) << c.code;
    }
  }
}

TEST(Checked, RefusesOverflowInsteadOfWrapping) {
  EXPECT_EQ(CheckedAdd(1, 2), 3);
  EXPECT_FALSE(CheckedAdd(kMax, 1));
  EXPECT_FALSE(CheckedAdd(kMin, -1));
  EXPECT_EQ(CheckedSub(kMin + 1, 1), kMin);
  EXPECT_FALSE(CheckedSub(kMin, 1));
  EXPECT_EQ(CheckedMul(-3, 4), -12);
  EXPECT_FALSE(CheckedMul(kMax / 2 + 1, 2));
  EXPECT_FALSE(CheckedMul(kMin, -1));
}

TEST(Rounding, HalfUpAwayFromZero) {
  EXPECT_EQ(MulDivRoundHalfUp(1, 1, 2), 1);    // 0.5 -> 1
  EXPECT_EQ(MulDivRoundHalfUp(3, 1, 2), 2);    // 1.5 -> 2
  EXPECT_EQ(MulDivRoundHalfUp(5, 1, 2), 3);    // 2.5 -> 3 (not to even)
  EXPECT_EQ(MulDivRoundHalfUp(1, 1, 3), 0);    // 0.33 -> 0
  EXPECT_EQ(MulDivRoundHalfUp(2, 1, 3), 1);    // 0.67 -> 1
  EXPECT_EQ(MulDivRoundHalfUp(-1, 1, 2), -1);  // -0.5 -> -1
  EXPECT_EQ(MulDivRoundHalfUp(-1, 1, 3), 0);
  EXPECT_EQ(MulDivRoundHalfUp(kMax, kMax, kMax), kMax);  // exact in 128 bits
  EXPECT_FALSE(MulDivRoundHalfUp(kMax, 2, 1));
}

TEST(Rounding, CostIsRateTimesSecondsOverAnHourHalfUp) {
  // 100.00 an hour: 1 s is 2.777… cents -> 3; 18 s is exactly 50 cents.
  EXPECT_EQ(*CostOfSeconds(10000, 1), 3);
  EXPECT_EQ(*CostOfSeconds(10000, 18), 50);
  EXPECT_EQ(*CostOfSeconds(10000, 3600), 10000);
  // 125.00 an hour for 1 s: 3.4722 -> 3. 1 cent an hour for 1800 s: exactly 0.5 -> 1.
  EXPECT_EQ(*CostOfSeconds(12500, 1), 3);
  EXPECT_EQ(*CostOfSeconds(1, 1800), 1);
  EXPECT_EQ(*CostOfSeconds(1, 1799), 0);
  EXPECT_EQ(*CostOfSeconds(3000, 0), 0);
  auto over = CostOfSeconds(kMax, 7200);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().reason, "amount_overflow");
}

TEST(Rounding, PriceAddsTheRoundedMarkup) {
  EXPECT_EQ(*PriceWithMarkup(1000, 2500), 1250);
  EXPECT_EQ(*PriceWithMarkup(3, 2500), 4);   // 0.75 -> 1
  EXPECT_EQ(*PriceWithMarkup(2, 2500), 3);   // 0.5 -> 1
  EXPECT_EQ(*PriceWithMarkup(1, 2500), 1);   // 0.25 -> 0
  EXPECT_EQ(*PriceWithMarkup(999, 0), 999);
  EXPECT_EQ(PriceWithMarkup(kMax, 1).error().reason, "amount_overflow");
}

TEST(Rounding, NeverMoreThanHalfAMinorUnitOff) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 10000; ++i) {
    const std::int64_t hourly = static_cast<std::int64_t>(rng() % 50000);
    const std::int64_t seconds = static_cast<std::int64_t>(rng() % 100000);
    const std::int64_t cost = *CostOfSeconds(hourly, seconds);
    // |cost × 3600 - hourly × seconds| <= 1800, and exactly 1800 only rounding up.
    const std::int64_t diff = cost * 3600 - hourly * seconds;
    EXPECT_LE(diff, 1800);
    EXPECT_GT(diff, -1800);
  }
}

}  // namespace
}  // namespace fw
