#include "base/money.h"

#include <algorithm>
#include <array>
#include <limits>

namespace fw {

namespace {

// 128-bit intermediates make a × b / d exact for any 64-bit inputs (g++ and clang).
__extension__ typedef __int128 Int128;

// ISO 4217 active codes with their minor-unit exponents, sorted by code.
constexpr std::array<Currency, 159> kCurrencies{{
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2},
    {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHF", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2},
    {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2},
    {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2},
    {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2},
    {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0},
    {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2},
    {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2},
    {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2},
    {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MYR", 2}, {"MZN", 2},
    {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2},
    {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2},
    {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2},
    {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2},
    {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYI", 0}, {"UYU", 2},
    {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0},
    {"XCD", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWL", 2},
}};

constexpr bool SortedByCode() {
  for (std::size_t i = 1; i < kCurrencies.size(); ++i) {
    if (!(kCurrencies[i - 1].code < kCurrencies[i].code)) return false;
  }
  return true;
}
static_assert(SortedByCode(), "kCurrencies must be sorted by code");

constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000};

bool Fits(Int128 v) {
  return v >= std::numeric_limits<std::int64_t>::min() &&
         v <= std::numeric_limits<std::int64_t>::max();
}

}  // namespace

std::span<const Currency> Currencies() { return kCurrencies; }

std::optional<Currency> FindCurrency(std::string_view code) {
  auto it = std::lower_bound(kCurrencies.begin(), kCurrencies.end(), code,
                             [](const Currency& c, std::string_view k) { return c.code < k; });
  if (it == kCurrencies.end() || it->code != code) return std::nullopt;
  return *it;
}

Result<std::int64_t> ParseAmount(std::string_view text, const Currency& currency,
                                 std::string_view field) {
  auto invalid = [&](std::string_view code, std::string message) {
    return InvalidArgument(std::string(field) + ": " + message,
                           {{std::string(field), std::string(code), message}});
  };
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  const std::size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !digits(whole) || !digits(fraction) ||
      (dot != std::string_view::npos && fraction.empty())) {
    return invalid("invalid", "a decimal amount such as 12.34");
  }
  if (fraction.size() > static_cast<std::size_t>(currency.exponent)) {
    return invalid("too_precise", std::string(currency.code) + " has " +
                                      std::to_string(currency.exponent) + " decimal places");
  }
  Int128 v = 0;
  for (char c : whole) {
    v = v * 10 + (c - '0');
    if (v > std::numeric_limits<std::int64_t>::max()) return invalid("out_of_range", "too large");
  }
  Int128 frac = 0;
  for (char c : fraction) frac = frac * 10 + (c - '0');
  frac *= kPow10[currency.exponent - static_cast<int>(fraction.size())];
  v = v * kPow10[currency.exponent] + frac;
  if (negative) v = -v;
  if (!Fits(v)) return invalid("out_of_range", "too large");
  return static_cast<std::int64_t>(v);
}

std::string FormatAmount(std::int64_t minor, const Currency& currency) {
  const bool negative = minor < 0;
  // Through unsigned, so the most negative value formats too.
  unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(minor)
                                          : static_cast<unsigned long long>(minor);
  const auto scale = static_cast<unsigned long long>(kPow10[currency.exponent]);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (currency.exponent > 0) {
    std::string frac = std::to_string(magnitude % scale);
    out += '.';
    out.append(static_cast<std::size_t>(currency.exponent) - frac.size(), '0');
    out += frac;
  }
  return out;
}

std::optional<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
std::optional<std::int64_t> CheckedSub(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}
std::optional<std::int64_t> CheckedMul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<std::int64_t> MulDivRoundHalfUp(std::int64_t a, std::int64_t b, std::int64_t d) {
  FW_CHECK(d > 0);
  const Int128 n = static_cast<Int128>(a) * b;
  const Int128 magnitude = n < 0 ? -n : n;
  Int128 q = magnitude / d;
  const Int128 r = magnitude % d;
  if (2 * r >= d) ++q;  // half up: a remainder of exactly half rounds away from zero
  if (n < 0) q = -q;
  if (!Fits(q)) return std::nullopt;
  return static_cast<std::int64_t>(q);
}

Result<std::int64_t> CostOfSeconds(std::int64_t hourly_minor, std::int64_t seconds) {
  auto cost = MulDivRoundHalfUp(hourly_minor, seconds, 3600);
  if (!cost)
    return Fail(ErrorCode::kUnprocessable, "the amount is too large", {}, "amount_overflow");
  return *cost;
}

Result<std::int64_t> PriceWithMarkup(std::int64_t cost_minor, std::int64_t markup_bp) {
  auto markup = MulDivRoundHalfUp(cost_minor, markup_bp, 10000);
  std::optional<std::int64_t> price;
  if (markup) price = CheckedAdd(cost_minor, *markup);
  if (!price)
    return Fail(ErrorCode::kUnprocessable, "the amount is too large", {}, "amount_overflow");
  return *price;
}

}  // namespace fw
