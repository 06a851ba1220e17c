#include "quality/answers.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <numeric>
#include <utility>

namespace fw::quality {
namespace {

inline std::uint64_t Load64(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
inline std::uint64_t Load32(const char* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// A 64-bit hash over 8-byte words; short tails are read with fixed-size (overlapping) loads so
// no byte-count-dependent memcpy is called. Fixed and unseeded: indices only depend on the
// order of first appearance, never on the hash, and a fixed hash keeps timings reproducible.
inline std::uint64_t HashBytes(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t h = 0x243f6a8885a308d3ull ^ (n * kMul);
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      h = (h ^ Load64(p + i)) * kMul;
      h ^= h >> 29;
    }
    if (i < n) h = (h ^ Load64(p + n - 8)) * kMul;
  } else if (n >= 4) {
    h = (h ^ (Load32(p) | (Load32(p + n - 4) << 32))) * kMul;
  } else if (n > 0) {
    const auto b = [&](std::size_t i) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i]));
    };
    h = (h ^ (b(0) | (b(n / 2) << 8) | (b(n - 1) << 16))) * kMul;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

// string_view equality without a library call for the short ids that dominate answer files.
inline bool SameKey(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8 && n <= 16) {
    return Load64(x) == Load64(y) && Load64(x + n - 8) == Load64(y + n - 8);
  }
  if (n >= 4 && n < 8) return Load32(x) == Load32(y) && Load32(x + n - 4) == Load32(y + n - 4);
  if (n < 4) {
    for (std::size_t i = 0; i < n; ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  }
  return std::memcmp(x, y, n) == 0;
}

// Names to dense indices in order of first appearance, with open addressing over a flat slot
// array. Keys are views: either into text that outlives the interner (the parsers pass views
// into the input, so a name costs no allocation) or into `owned_`, a deque so its strings
// never move. Names up to 15 bytes are also copied into their slot, so a lookup in a large
// table (shuffled input) costs one cache miss instead of three (slot, view, text).
class Interner {
 public:
  static constexpr std::uint32_t kAbsent = 0xffffffffu;
  static constexpr std::size_t kScanLimit = 8;

  Interner() : slots_(16), mask_(15) {}

  std::uint32_t Intern(std::string_view key, bool key_outlives_interner) {
    // Exports are usually grouped by task or worker: the same name many times in a row.
    if (last_index_ != kAbsent && SameKey(key, last_key_)) return last_index_;
    // A handful of names (labels): a scan beats hashing.
    if (keys_.size() <= kScanLimit) {
      for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (SameKey(keys_[i], key)) return Remember(static_cast<std::uint32_t>(i));
      }
    }
    const Probe probe = MakeProbe(key);
    const std::size_t pos = SlotFor(probe, key);
    if (slots_[pos].index_plus_one != 0) return Remember(slots_[pos].index_plus_one - 1);
    const auto index = static_cast<std::uint32_t>(keys_.size());
    if (key_outlives_interner) {
      keys_.push_back(key);
    } else {
      keys_.emplace_back(owned_.emplace_back(key));
    }
    slots_[pos] = Slot{probe.word0, probe.word1, probe.hash, index + 1};
    if (keys_.size() * 2 > slots_.size()) Grow();
    return Remember(index);
  }

  std::uint32_t Find(std::string_view key) const {
    const Slot& slot = slots_[SlotFor(MakeProbe(key), key)];
    return slot.index_plus_one == 0 ? kAbsent : slot.index_plus_one - 1;
  }

  std::size_t size() const { return keys_.size(); }
  const std::vector<std::string_view>& keys() const { return keys_; }

  std::vector<std::string> Names() const { return {keys_.begin(), keys_.end()}; }

  void Reserve(std::size_t n) {
    keys_.reserve(n);
    while (n * 2 > slots_.size()) Grow();
  }

 private:
  static constexpr std::size_t kInlineBytes = 15;
  static constexpr std::uint64_t kLongKey = 0xffull << 56;

  // A key's hash and, for short keys, its bytes zero-padded with the length in the last byte
  // (so equal words mean equal keys); long keys carry kLongKey and compare through keys_.
  struct Probe {
    std::uint64_t word0 = 0;
    std::uint64_t word1 = 0;
    std::uint32_t hash = 0;
  };
  struct Slot {
    std::uint64_t word0 = 0;
    std::uint64_t word1 = 0;
    std::uint32_t hash = 0;
    std::uint32_t index_plus_one = 0;  // 0: empty
  };

  static Probe MakeProbe(std::string_view key) {
    Probe p;
    p.hash = static_cast<std::uint32_t>(HashBytes(key));
    if (key.size() > kInlineBytes) {
      p.word1 = kLongKey;
      return p;
    }
    unsigned char bytes[16] = {};
    for (std::size_t i = 0; i < key.size(); ++i) bytes[i] = static_cast<unsigned char>(key[i]);
    bytes[15] = static_cast<unsigned char>(key.size());
    std::memcpy(&p.word0, bytes, 8);
    std::memcpy(&p.word1, bytes + 8, 8);
    return p;
  }

  bool Matches(const Slot& slot, const Probe& probe, std::string_view key) const {
    if (slot.hash != probe.hash || slot.word0 != probe.word0 || slot.word1 != probe.word1) {
      return false;
    }
    return probe.word1 != kLongKey || SameKey(keys_[slot.index_plus_one - 1], key);
  }

  // The slot holding `key`, or the empty slot where it would go.
  std::size_t SlotFor(const Probe& probe, std::string_view key) const {
    std::size_t pos = probe.hash & mask_;
    while (slots_[pos].index_plus_one != 0 && !Matches(slots_[pos], probe, key)) {
      pos = (pos + 1) & mask_;
    }
    return pos;
  }

  std::uint32_t Remember(std::uint32_t index) {
    last_index_ = index;
    last_key_ = keys_[index];
    return index;
  }

  void Grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (const Slot& slot : slots_) {
      if (slot.index_plus_one == 0) continue;
      std::size_t pos = slot.hash & mask;
      while (bigger[pos].index_plus_one != 0) pos = (pos + 1) & mask;
      bigger[pos] = slot;
    }
    slots_ = std::move(bigger);
    mask_ = mask;
  }

  std::vector<std::string_view> keys_;
  std::deque<std::string> owned_;
  std::vector<Slot> slots_;
  std::size_t mask_;
  std::string_view last_key_;
  std::uint32_t last_index_ = kAbsent;
};

// An integer label split for numeric comparison: sign and magnitude digits without leading
// zeros ("-0" and "0" both have an empty magnitude and compare equal numerically).
struct IntegerName {
  bool negative = false;
  std::string_view magnitude;
};

bool ParseIntegerName(std::string_view s, IntegerName& out) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    negative = s[i] == '-';
    ++i;
  }
  if (i == s.size()) return false;
  for (std::size_t j = i; j < s.size(); ++j) {
    if (s[j] < '0' || s[j] > '9') return false;
  }
  while (i < s.size() && s[i] == '0') ++i;
  out.magnitude = s.substr(i);
  out.negative = negative && !out.magnitude.empty();
  return true;
}

// <0, 0, >0 as a is numerically below, equal to or above b.
int CompareIntegers(const IntegerName& a, const IntegerName& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int magnitude = 0;
  if (a.magnitude.size() != b.magnitude.size()) {
    magnitude = a.magnitude.size() < b.magnitude.size() ? -1 : 1;
  } else {
    const int c = a.magnitude.compare(b.magnitude);
    magnitude = c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return a.negative ? -magnitude : magnitude;
}

// Label index -> rank in the documented label order.
std::vector<std::uint32_t> LabelRanks(const std::vector<std::string_view>& names) {
  std::vector<IntegerName> ints(names.size());
  bool all_integers = true;
  for (std::size_t i = 0; i < names.size() && all_integers; ++i) {
    all_integers = ParseIntegerName(names[i], ints[i]);
  }
  std::vector<std::uint32_t> order(names.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (all_integers) {
      const int c = CompareIntegers(ints[a], ints[b]);
      if (c != 0) return c < 0;
    }
    // string_view compares bytes as unsigned char; equal numbers ("-0", "0") fall back here.
    return names[a] < names[b];
  });
  std::vector<std::uint32_t> rank(names.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<std::uint32_t>(r);
  return rank;
}

// The state behind AnswerSetBuilder and the parsers.
class Builder {
 public:
  void AddLabel(std::string_view label, bool stable) { labels_.Intern(label, stable); }

  void Add(std::string_view worker, bool worker_stable, std::string_view task, bool task_stable,
           std::string_view label, bool label_stable) {
    Answer a;
    a.task = tasks_.Intern(task, task_stable);
    a.worker = workers_.Intern(worker, worker_stable);
    a.label = labels_.Intern(label, label_stable);
    answers_.push_back(a);
  }

  void Reserve(std::size_t answers) { answers_.reserve(answers); }

  AnswerSet Finish() {
    AnswerSet set;
    set.tasks = tasks_.Names();
    set.workers = workers_.Names();
    const std::vector<std::uint32_t> rank = LabelRanks(labels_.keys());
    set.labels.resize(rank.size());
    for (std::size_t i = 0; i < rank.size(); ++i) set.labels[rank[i]] = labels_.keys()[i];
    set.answers = std::move(answers_);
    for (Answer& a : set.answers) a.label = rank[a.label];
    *this = Builder();
    return set;
  }

 private:
  Interner tasks_;
  Interner workers_;
  Interner labels_;
  std::vector<Answer> answers_;
};

tl::unexpected<Error> LineError(std::size_t line, std::string_view code, std::string message) {
  std::string field = "line " + std::to_string(line);
  std::string full = field + ": " + message;
  return InvalidArgument(std::move(full),
                         {FieldError{field, std::string(code), std::move(message)}});
}

tl::unexpected<Error> EmptyInput() {
  return InvalidArgument("empty input: no header and no records",
                         {FieldError{"line 1", "required", "empty input"}});
}

std::string_view SkipBom(std::string_view text) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xef &&
      static_cast<unsigned char>(text[1]) == 0xbb && static_cast<unsigned char>(text[2]) == 0xbf) {
    text.remove_prefix(3);
  }
  return text;
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// True when the first non-blank character of `text` (after a BOM) is '{'.
bool LooksLikeJsonl(std::string_view text) {
  text = SkipBom(text);
  for (char c : text) {
    if (!IsBlank(c)) return c == '{';
  }
  return false;
}

// One requested field of a record: its text, and whether that text lives in the input (so it
// can be interned without a copy) or in a scratch buffer reused by the next record.
struct Field {
  std::string_view value;
  bool in_input = true;
};

template <std::size_t N>
using Columns = std::array<std::string_view, N>;

// ---- CSV -----------------------------------------------------------------------------------

// Reads one CSV field starting at `pos` (which is at the field's first character). Sets `end`
// to the delimiter position (',' or '\n' or text.size()); a trailing '\r' before '\n' is not
// part of an unquoted field. Quoted fields are unescaped into `scratch` when they contain "".
// `line` is advanced for newlines inside quotes.
enum class FieldStatus { kOk, kUnterminatedQuote, kJunkAfterQuote };

FieldStatus ReadCsvField(std::string_view text, std::size_t pos, std::size_t& end, Field& out,
                         std::string& scratch, std::size_t& line) {
  const std::size_t n = text.size();
  if (pos < n && text[pos] == '"') {
    std::size_t i = pos + 1;
    const std::size_t start = i;
    bool escaped = false;
    while (true) {
      const void* q = std::memchr(text.data() + i, '"', n - i);
      if (q == nullptr) return FieldStatus::kUnterminatedQuote;
      const std::size_t qpos = static_cast<std::size_t>(static_cast<const char*>(q) - text.data());
      line += static_cast<std::size_t>(std::count(text.data() + i, text.data() + qpos, '\n'));
      if (qpos + 1 < n && text[qpos + 1] == '"') {
        if (!escaped) {
          scratch.assign(text.data() + start, qpos + 1 - start);
          escaped = true;
        } else {
          scratch.append(text.data() + i, qpos + 1 - i);
        }
        i = qpos + 2;
        continue;
      }
      if (escaped) {
        scratch.append(text.data() + i, qpos - i);
        out = Field{scratch, false};
      } else {
        out = Field{text.substr(start, qpos - start), true};
      }
      std::size_t after = qpos + 1;
      if (after < n && text[after] == '\r' && (after + 1 == n || text[after + 1] == '\n')) {
        ++after;
      }
      if (after < n && text[after] != ',' && text[after] != '\n') {
        return FieldStatus::kJunkAfterQuote;
      }
      end = after;
      return FieldStatus::kOk;
    }
  }
  std::size_t i = pos;
  while (i < n && text[i] != ',' && text[i] != '\n') ++i;
  std::size_t stop = i;
  if (stop > pos && text[stop - 1] == '\r' && (stop == n || text[stop] == '\n')) --stop;
  out = Field{text.substr(pos, stop - pos), true};
  end = i;
  return FieldStatus::kOk;
}

tl::unexpected<Error> FieldStatusError(FieldStatus status, std::size_t line) {
  if (status == FieldStatus::kUnterminatedQuote) {
    return LineError(line, "malformed", "unterminated quoted field");
  }
  return LineError(line, "malformed", "unexpected character after a closing quote");
}

// Calls on_record(line, fields) for every non-blank record of CSV `text`, with the fields
// named by `columns` in that order. Fails on the first bad line; `on_record` may fail too.
template <std::size_t N, typename OnRecord>
Status ForEachCsvRecord(std::string_view text, const Columns<N>& columns, OnRecord&& on_record) {
  text = SkipBom(text);
  const std::size_t n = text.size();
  std::size_t pos = 0;
  std::size_t line = 1;
  // Header: the first non-blank line.
  while (pos < n) {
    std::size_t eol = pos;
    while (eol < n && text[eol] != '\n') ++eol;
    bool blank = true;
    for (std::size_t i = pos; i < eol && blank; ++i) blank = IsBlank(text[i]);
    if (!blank) break;
    pos = eol + 1;
    ++line;
  }
  if (pos >= n) return EmptyInput();
  const std::size_t header_line = line;
  std::array<std::size_t, N> index;
  index.fill(static_cast<std::size_t>(-1));
  std::string scratch;
  {
    std::size_t column = 0;
    while (true) {
      Field f;
      std::size_t end = pos;
      const FieldStatus st = ReadCsvField(text, pos, end, f, scratch, line);
      if (st != FieldStatus::kOk) return FieldStatusError(st, header_line);
      for (std::size_t c = 0; c < N; ++c) {
        if (f.value != columns[c]) continue;
        if (index[c] != static_cast<std::size_t>(-1)) {
          return LineError(header_line, "malformed",
                           "column " + std::string(columns[c]) + " appears twice in the header");
        }
        index[c] = column;
      }
      ++column;
      if (end >= n || text[end] == '\n') {
        pos = end + 1;
        ++line;
        break;
      }
      pos = end + 1;
    }
  }
  for (std::size_t c = 0; c < N; ++c) {
    if (index[c] == static_cast<std::size_t>(-1)) {
      return LineError(header_line, "required",
                       "missing column " + std::string(columns[c]) + " in the header");
    }
  }
  // Column position -> requested slot (or -1), up to the last requested column.
  std::size_t last_needed = 0;
  for (std::size_t c = 0; c < N; ++c) last_needed = std::max(last_needed, index[c]);
  std::vector<int> slot_of(last_needed + 1, -1);
  for (std::size_t c = 0; c < N; ++c) slot_of[index[c]] = static_cast<int>(c);

  std::array<Field, N> fields;
  std::array<std::string, N> scratches;
  while (pos < n) {
    const std::size_t record_line = line;
    if (IsBlank(text[pos])) {
      std::size_t i = pos;
      while (i < n && text[i] != '\n' && IsBlank(text[i])) ++i;
      if (i == n || text[i] == '\n') {  // a blank line, perhaps "\r" or spaces
        pos = i + 1;
        ++line;
        continue;
      }
    }
    std::size_t column = 0;
    std::size_t found = 0;
    bool at_eol = false;
    while (true) {
      Field f;
      std::size_t end = pos;
      const int slot = column <= last_needed ? slot_of[column] : -1;
      std::string& buffer = slot >= 0 ? scratches[static_cast<std::size_t>(slot)] : scratch;
      const FieldStatus st = ReadCsvField(text, pos, end, f, buffer, line);
      if (st != FieldStatus::kOk) return FieldStatusError(st, record_line);
      if (slot >= 0) {
        fields[static_cast<std::size_t>(slot)] = f;
        ++found;
      }
      ++column;
      pos = end + 1;
      if (end >= n || text[end] == '\n') {
        at_eol = true;
        break;
      }
      if (column > last_needed) break;
    }
    if (!at_eol) {
      // Skip the columns nobody asked for, minding quotes.
      while (true) {
        Field f;
        std::size_t end = pos;
        const FieldStatus st = ReadCsvField(text, pos, end, f, scratch, line);
        if (st != FieldStatus::kOk) return FieldStatusError(st, record_line);
        pos = end + 1;
        if (end >= n || text[end] == '\n') break;
      }
    }
    ++line;
    if (found < N) {
      // Name the first missing field in the file's column order.
      std::size_t missing = N;
      for (std::size_t c = 0; c < N; ++c) {
        if (index[c] >= column && (missing == N || index[c] < index[missing])) missing = c;
      }
      return LineError(record_line, "required", "missing " + std::string(columns[missing]));
    }
    for (std::size_t c = 0; c < N; ++c) {
      if (fields[c].value.empty()) {
        return LineError(record_line, "required", "empty " + std::string(columns[c]));
      }
    }
    FW_TRY_STATUS(on_record(record_line, fields));
  }
  return {};
}

// ---- JSONL ---------------------------------------------------------------------------------

// A parser for one JSON object per line that extracts string or integer members by name and
// skips everything else. Hand-written because a general DOM would allocate per line.
class JsonLine {
 public:
  JsonLine(std::string_view line, std::size_t line_number) : s_(line), line_number_(line_number) {}

  template <std::size_t N>
  Status Extract(const Columns<N>& names, std::array<Field, N>& out,
                 std::array<std::string, N>& scratches, std::array<bool, N>& seen) {
    seen.fill(false);
    SkipWs();
    if (!Eat('{')) return Malformed("expected a JSON object");
    SkipWs();
    if (!Eat('}')) {
      while (true) {
        SkipWs();
        Field key;
        FW_TRY_STATUS(ReadString(key, key_scratch_));
        SkipWs();
        if (!Eat(':')) return Malformed("expected ':' after a member name");
        SkipWs();
        std::size_t slot = N;
        for (std::size_t c = 0; c < N; ++c) {
          if (key.value == names[c]) slot = c;
        }
        if (slot < N) {
          if (Peek() == '"') {
            FW_TRY_STATUS(ReadString(out[slot], scratches[slot]));
          } else {
            const char first = Peek();
            const bool number = first == '-' || (first >= '0' && first <= '9');
            const bool other_value = first == '{' || first == '[' || (first >= 'a' && first <= 'z');
            if (!number && !other_value) return Malformed("expected a value");
            const std::size_t start = i_;
            if (Peek() == '-') ++i_;
            const std::size_t digits = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            const char next = Peek();
            if (i_ == digits || next == '.' || next == 'e' || next == 'E') {
              return LineError(line_number_, "type",
                               std::string(names[slot]) + " must be a string or an integer");
            }
            out[slot] = Field{s_.substr(start, i_ - start), true};
          }
          seen[slot] = true;
        } else {
          FW_TRY_STATUS(SkipValue(0));
        }
        SkipWs();
        if (Eat(',')) continue;
        if (Eat('}')) break;
        return Malformed("expected ',' or '}'");
      }
    }
    SkipWs();
    if (i_ != s_.size()) return Malformed("text after the object");
    return {};
  }

 private:
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c || i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  void SkipWs() {
    while (i_ < s_.size() && IsBlank(s_[i_])) ++i_;
  }
  tl::unexpected<Error> Malformed(std::string_view what) const {
    return LineError(line_number_, "malformed", "invalid JSON: " + std::string(what));
  }

  static void AppendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  // The character a one-letter JSON escape stands for; '\0' when `e` is not one (the escape
  // with u and four hex digits is decoded by ReadString).
  static char SimpleEscape(char e) {
    switch (e) {
      case '"':
      case '\\':
      case '/':
        return e;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return '\0';
    }
  }

  bool ReadHex4(std::uint32_t& cp) {
    if (i_ + 4 > s_.size()) return false;
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      cp <<= 4;
      if (c >= '0' && c <= '9') {
        cp |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        cp |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        cp |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  // Reads a string at i_ (which must be at '"'). Without escapes the result is a view into the
  // line; with escapes it is decoded into `scratch`.
  Status ReadString(Field& out, std::string& scratch) {
    if (!Eat('"')) return Malformed("expected a string");
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\') ++i_;
    if (i_ >= s_.size()) return Malformed("unterminated string");
    if (s_[i_] == '"') {
      out = Field{s_.substr(start, i_ - start), true};
      ++i_;
      return {};
    }
    scratch.assign(s_.data() + start, i_ - start);
    while (true) {
      if (i_ >= s_.size()) return Malformed("unterminated string");
      const char c = s_[i_++];
      if (c == '"') break;
      if (c != '\\') {
        scratch.push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return Malformed("unterminated string");
      const char e = s_[i_++];
      if (e != 'u') {
        const char plain = SimpleEscape(e);
        if (plain == '\0') return Malformed("bad escape");
        scratch.push_back(plain);
        continue;
      }
      std::uint32_t cp = 0;
      if (!ReadHex4(cp)) return Malformed("bad \\u escape");
      if (cp >= 0xd800 && cp < 0xdc00) {
        std::uint32_t low = 0;
        if (!(Eat('\\') && Eat('u') && ReadHex4(low)) || low < 0xdc00 || low >= 0xe000) {
          return Malformed("unpaired surrogate in \\u escape");
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      } else if (cp >= 0xdc00 && cp < 0xe000) {
        return Malformed("unpaired surrogate in \\u escape");
      }
      AppendUtf8(scratch, cp);
    }
    out = Field{scratch, false};
    return {};
  }

  Status SkipValue(int depth) {
    if (depth > 64) return Malformed("nesting too deep");
    SkipWs();
    const char c = Peek();
    if (c == '"') {
      Field ignored;
      return ReadString(ignored, skip_scratch_);
    }
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++i_;
      SkipWs();
      if (Eat(close)) return {};
      while (true) {
        SkipWs();
        if (c == '{') {
          Field ignored;
          FW_TRY_STATUS(ReadString(ignored, skip_scratch_));
          SkipWs();
          if (!Eat(':')) return Malformed("expected ':' after a member name");
        }
        FW_TRY_STATUS(SkipValue(depth + 1));
        SkipWs();
        if (Eat(',')) continue;
        if (Eat(close)) return {};
        return Malformed("expected ',' or a closing bracket");
      }
    }
    // Numbers and literals: a run of the characters they can contain.
    const std::size_t start = i_;
    while (i_ < s_.size()) {
      const char d = s_[i_];
      if ((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') || d == '-' || d == '+' || d == '.' ||
          d == 'E') {
        ++i_;
      } else {
        break;
      }
    }
    const std::string_view token = s_.substr(start, i_ - start);
    if (token.empty()) return Malformed("expected a value");
    if (token == "true" || token == "false" || token == "null") return {};
    if (token[0] == '-' || (token[0] >= '0' && token[0] <= '9')) return {};
    return Malformed("expected a value");
  }

  std::string_view s_;
  std::size_t line_number_;
  std::size_t i_ = 0;
  std::string key_scratch_;
  std::string skip_scratch_;
};

template <std::size_t N, typename OnRecord>
Status ForEachJsonlRecord(std::string_view text, const Columns<N>& columns, OnRecord&& on_record) {
  text = SkipBom(text);
  const std::size_t n = text.size();
  std::size_t pos = 0;
  std::size_t line = 0;
  std::size_t records = 0;
  std::array<Field, N> fields;
  std::array<std::string, N> scratches;
  std::array<bool, N> seen;
  while (pos < n) {
    ++line;
    const void* nl = std::memchr(text.data() + pos, '\n', n - pos);
    const std::size_t eol =
        nl == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data());
    const std::string_view content = text.substr(pos, eol - pos);
    pos = eol + 1;
    bool blank = true;
    for (char c : content) {
      if (!IsBlank(c)) {
        blank = false;
        break;
      }
    }
    if (blank) continue;
    ++records;
    JsonLine parser(content, line);
    FW_TRY_STATUS(parser.Extract(columns, fields, scratches, seen));
    for (std::size_t c = 0; c < N; ++c) {
      if (!seen[c]) return LineError(line, "required", "missing " + std::string(columns[c]));
      if (fields[c].value.empty()) {
        return LineError(line, "required", "empty " + std::string(columns[c]));
      }
    }
    FW_TRY_STATUS(on_record(line, fields));
  }
  if (records == 0) return EmptyInput();
  return {};
}

std::size_t CountNewlines(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

constexpr Columns<3> kAnswerColumns = {"worker", "task", "label"};
constexpr Columns<2> kTruthColumns = {"task", "label"};

enum class Format { kCsv, kJsonl };

// The format ParseAnswers and ParseTruth read `text` as (see LooksLikeJsonl).
Format Sniff(std::string_view text) { return LooksLikeJsonl(text) ? Format::kJsonl : Format::kCsv; }

template <std::size_t N, typename OnRecord>
Status ForEachRecord(Format format, std::string_view text, const Columns<N>& columns,
                     OnRecord&& on_record) {
  return format == Format::kJsonl ? ForEachJsonlRecord(text, columns, on_record)
                                  : ForEachCsvRecord(text, columns, on_record);
}

Result<AnswerSet> ParseAnswersAs(Format format, std::string_view text) {
  Builder builder;
  builder.Reserve(CountNewlines(text) + 1);
  FW_TRY_STATUS(ForEachRecord(format, text, kAnswerColumns,
                              [&](std::size_t, const std::array<Field, 3>& f) -> Status {
                                builder.Add(f[0].value, f[0].in_input, f[1].value, f[1].in_input,
                                            f[2].value, f[2].in_input);
                                return {};
                              }));
  return builder.Finish();
}

}  // namespace

struct AnswerSetBuilder::Impl {
  Builder builder;
};

AnswerSetBuilder::AnswerSetBuilder() : impl_(std::make_unique<Impl>()) {}
AnswerSetBuilder::~AnswerSetBuilder() = default;
AnswerSetBuilder::AnswerSetBuilder(AnswerSetBuilder&&) noexcept = default;
AnswerSetBuilder& AnswerSetBuilder::operator=(AnswerSetBuilder&&) noexcept = default;

void AnswerSetBuilder::AddLabel(std::string_view label) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  impl_->builder.AddLabel(label, false);
}

void AnswerSetBuilder::Add(std::string_view worker, std::string_view task, std::string_view label) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  impl_->builder.Add(worker, false, task, false, label, false);
}

AnswerSet AnswerSetBuilder::Finish() {
  if (!impl_) return {};
  return impl_->builder.Finish();
}

Result<AnswerSet> ParseAnswersCsv(std::string_view text) {
  return ParseAnswersAs(Format::kCsv, text);
}

Result<AnswerSet> ParseAnswersJsonl(std::string_view text) {
  return ParseAnswersAs(Format::kJsonl, text);
}

Result<AnswerSet> ParseAnswers(std::string_view text) { return ParseAnswersAs(Sniff(text), text); }

Result<Truth> ParseTruth(std::string_view text, AnswerSet& answers) {
  Interner tasks;
  tasks.Reserve(answers.tasks.size());
  for (const std::string& t : answers.tasks) tasks.Intern(t, true);
  // Labels may grow (push_back moves short strings), so the label interner owns its keys.
  Interner labels;
  for (const std::string& l : answers.labels) labels.Intern(l, false);

  Truth truth;
  truth.label.assign(answers.tasks.size(), kNoTruth);
  auto on_record = [&](std::size_t line, const std::array<Field, 2>& f) -> Status {
    ++truth.rows;
    const std::uint32_t task = tasks.Find(f[0].value);
    if (task == Interner::kAbsent) return {};
    const std::size_t before = labels.size();
    const std::uint32_t label = labels.Intern(f[1].value, false);
    if (labels.size() != before) answers.labels.emplace_back(f[1].value);
    std::uint32_t& slot = truth.label[task];
    if (slot == kNoTruth) {
      slot = label;
      ++truth.matched;
    } else if (slot != label) {
      return LineError(line, "conflict",
                       "task " + std::string(f[0].value) + " already has another truth label");
    }
    return {};
  };
  FW_TRY_STATUS(ForEachRecord(Sniff(text), text, kTruthColumns, on_record));
  return truth;
}

double Accuracy(const std::vector<std::uint32_t>& predicted, const Truth& truth) {
  std::size_t scored = 0;
  std::size_t correct = 0;
  const std::size_t n = std::min(predicted.size(), truth.label.size());
  for (std::size_t t = 0; t < n; ++t) {
    if (truth.label[t] == kNoTruth) continue;
    ++scored;
    if (predicted[t] == truth.label[t]) ++correct;
  }
  return scored == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(scored);
}

}  // namespace fw::quality
