#include "base/clock.h"

#include <chrono>
#include <ctime>

namespace fw {

UnixSeconds SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatTime(UnixSeconds t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// Reads exactly `n` digits at `pos`, advancing it; -1 when they are not there.
int Digits(std::string_view text, std::size_t& pos, int n) {
  if (pos + static_cast<std::size_t>(n) > text.size()) return -1;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  return v;
}

bool Expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || (text[pos] != c && !(c == 'T' && text[pos] == 't'))) return false;
  ++pos;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<UnixSeconds> ParseTime(std::string_view text) {
  std::size_t pos = 0;
  const int year = Digits(text, pos, 4);
  if (year < 1970 || !Expect(text, pos, '-')) return std::nullopt;
  const int month = Digits(text, pos, 2);
  if (month < 1 || month > 12 || !Expect(text, pos, '-')) return std::nullopt;
  const int day = Digits(text, pos, 2);
  if (day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  long offset = 0;
  if (pos != text.size()) {
    if (!Expect(text, pos, 'T')) return std::nullopt;
    hour = Digits(text, pos, 2);
    if (hour < 0 || hour > 23 || !Expect(text, pos, ':')) return std::nullopt;
    minute = Digits(text, pos, 2);
    if (minute < 0 || minute > 59 || !Expect(text, pos, ':')) return std::nullopt;
    second = Digits(text, pos, 2);
    if (second < 0 || second > 60) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      const std::size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos] == '+' ? 1 : -1;
      ++pos;
      const int oh = Digits(text, pos, 2);
      if (oh < 0 || oh > 23 || !Expect(text, pos, ':')) return std::nullopt;
      const int om = Digits(text, pos, 2);
      if (om < 0 || om > 59) return std::nullopt;
      offset = sign * (oh * 3600L + om * 60L);
    } else {
      return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<UnixSeconds>(timegm(&tm)) - offset;
}

}  // namespace fw
