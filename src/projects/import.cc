// ProjectService::Import, by step: the body is read line by line, each line is checked and
// spooled (ForEachLine, LineChecker), and only a wholly good body is stored, in one
// transaction (StoreSpooled).

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "base/json.h"
#include "db/query.h"
#include "projects/pool.h"
#include "projects/projects.h"

namespace fw::projects {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxLineBytes = 16 * 1024 * 1024;

// One good line, as spooled and read back.
struct SpooledItem {
  std::uint64_t line = 0;  // 1-based line number in the body
  std::string payload;     // the item's data, serialized
  std::int32_t priority = 0;
  bool gold = false;
  std::string gold_answer;  // serialized; empty unless gold
  std::string external_id;  // empty when none
};

// Binary spool records: [u64 line][u32 payload len][payload][i32 priority][u8 gold]
// [u32 gold len][gold][u32 external id len][external id].
void PutStr(std::FILE* f, std::string_view s) {
  auto n = static_cast<std::uint32_t>(s.size());
  std::fwrite(&n, sizeof n, 1, f);
  std::fwrite(s.data(), 1, s.size(), f);
}

bool GetStr(std::FILE* f, std::string* s) {
  std::uint32_t n;
  if (std::fread(&n, sizeof n, 1, f) != 1) return false;
  s->resize(n);
  return n == 0 || std::fread(s->data(), 1, n, f) == n;
}

void WriteRecord(std::FILE* f, const SpooledItem& r) {
  std::fwrite(&r.line, sizeof r.line, 1, f);
  PutStr(f, r.payload);
  std::fwrite(&r.priority, sizeof r.priority, 1, f);
  std::uint8_t g = r.gold ? 1 : 0;
  std::fwrite(&g, 1, 1, f);
  PutStr(f, r.gold_answer);
  PutStr(f, r.external_id);
}

bool ReadRecord(std::FILE* f, SpooledItem* r) {
  std::uint8_t g = 0;
  if (std::fread(&r->line, sizeof r->line, 1, f) != 1 || !GetStr(f, &r->payload) ||
      std::fread(&r->priority, sizeof r->priority, 1, f) != 1 || std::fread(&g, 1, 1, f) != 1 ||
      !GetStr(f, &r->gold_answer) || !GetStr(f, &r->external_id)) {
    return false;
  }
  r->gold = g != 0;
  return true;
}

// The spool file: created in the data directory, removed when this goes.
class SpoolFile {
 public:
  SpoolFile() = default;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  ~SpoolFile() {
    if (f_) std::fclose(f_);
    if (!path_.empty()) std::remove(path_.c_str());
  }
  Status Create(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::random_device rd;
    path_ =
        fmt::format("{}/import-{}-{:x}.spool", dir, ::getpid(), (std::uint64_t{rd()} << 32) | rd());
    f_ = std::fopen(path_.c_str(), "w+b");
    if (!f_) return Fail(ErrorCode::kUnavailable, "cannot create the import spool file");
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
    return {};
  }
  std::FILE* file() { return f_; }

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
};

struct LineError {
  std::string code;
  std::string message;
};

// The problem with a line's answer or data as one line error: the first detail, if any.
LineError FirstDetail(const Error& e, std::string code, std::string_view prefix) {
  if (e.details.empty()) return {std::move(code), e.message};
  const FieldError& d = e.details.front();
  return {code.empty() ? d.code : std::move(code),
          fmt::format("{}{}: {}", prefix, d.field, d.message)};
}

// Reads the members next to "data" of an item line into `out` (all but the payload) and
// points `gold` at the gold answer, if any.
std::optional<LineError> ReadEnvelope(const json::object& obj, SpooledItem* out,
                                      const json::value** gold) {
  for (const auto& kv : obj) {
    std::string_view k = kv.key();
    if (k == "data") continue;
    if (k == "priority") {
      auto p = AsInteger(kv.value());
      if (!p || *p < -1000000 || *p > 1000000) {
        return LineError{"invalid_priority", "priority must be an integer in -1000000..1000000"};
      }
      out->priority = static_cast<std::int32_t>(*p);
    } else if (k == "gold") {
      if (!kv.value().is_null()) *gold = &kv.value();
    } else if (k == "external_id") {
      if (!kv.value().is_string() || kv.value().as_string().size() > 256) {
        return LineError{"invalid_external_id",
                         "external_id must be a string of at most 256 characters"};
      }
      out->external_id = std::string(kv.value().as_string());
    } else {
      return LineError{"unknown_key", fmt::format("unknown key '{}' next to data (allowed: data, "
                                                  "priority, gold, external_id)",
                                                  k)};
    }
  }
  return std::nullopt;
}

// Checks one non-empty line against the template and fills `out` with what is to be stored.
std::optional<LineError> CheckLine(const Template& tmpl, json::parser& parser,
                                   std::string_view text, SpooledItem* out) {
  parser.reset();
  boost::system::error_code ec;
  parser.write(text.data(), text.size(), ec);
  if (ec) return LineError{"invalid_json", fmt::format("not valid JSON: {}", ec.message())};
  json::value v = parser.release();
  if (!v.is_object()) return LineError{"not_an_object", "each line must be a JSON object"};
  if (auto dup = FindDuplicateKey(text)) {
    return LineError{"duplicate_key",
                     fmt::format("the key \"{}\" appears twice in one object", *dup)};
  }
  out->priority = 0;
  out->external_id.clear();
  const json::value* data = &v;
  const json::value* gold = nullptr;
  const json::object& obj = v.as_object();
  if (auto d = obj.find("data"); d != obj.end() && d->value().is_object()) {
    data = &d->value();
    if (auto bad = ReadEnvelope(obj, out, &gold)) return bad;
  }
  if (auto st = ValidateItemData(tmpl, *data); !st) return FirstDetail(st.error(), "", "");
  out->gold = gold != nullptr;
  out->gold_answer.clear();
  if (gold) {
    if (auto st = ValidateAnswer(tmpl, *gold); !st) {
      return FirstDetail(st.error(), "invalid_gold", "gold ");
    }
    out->gold_answer = fw::ToJson(*gold);
  }
  out->payload = fw::ToJson(*data);
  return std::nullopt;
}

// Calls `on_line(line number, text)` for each line of the body (without its line break; a
// line may span reads). Errors: the source's; kUnprocessable for a line over 16 MiB.
template <typename OnLine>
Status ForEachLine(const ByteSource& source, OnLine&& on_line) {
  std::vector<char> buf(1 << 20);
  std::string line;  // a line that spans reads, gathered
  std::uint64_t line_no = 0;
  for (;;) {
    FW_TRY(std::size_t n, source(buf.data(), buf.size()));
    if (n == 0) break;
    std::string_view chunk(buf.data(), n);
    for (auto nl = chunk.find('\n'); nl != std::string_view::npos; nl = chunk.find('\n')) {
      if (line.empty()) {
        on_line(++line_no, chunk.substr(0, nl));
      } else {
        line.append(chunk.substr(0, nl));
        on_line(++line_no, line);
        line.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
    line.append(chunk);
    if (line.size() > kMaxLineBytes) {
      std::string at = fmt::format("line {}", line_no + 1);
      return Unprocessable(fmt::format("{} is longer than 16 MiB; nothing was imported", at),
                           {{at, "too_long", "a line may be at most 16 MiB"}});
    }
  }
  if (!line.empty()) on_line(++line_no, line);
  return {};
}

// The check step: checks every line and spools the good ones until the first bad one (after
// which nothing will be stored, so nothing more is written).
class LineChecker {
 public:
  LineChecker(const Template& tmpl, std::FILE* spool, int max_errors)
      : tmpl_(tmpl), spool_(spool), max_errors_(max_errors) {}

  void Check(std::uint64_t line_no, std::string_view text) {
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
      text.remove_suffix(1);
    }
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    if (text.empty()) return;
    record_.line = line_no;
    if (auto bad = CheckLine(tmpl_, parser_, text, &record_)) {
      ++bad_lines_;
      if (static_cast<int>(errors_.size()) < max_errors_) {
        errors_.push_back(
            {fmt::format("line {}", line_no), std::move(bad->code), std::move(bad->message)});
      }
      return;
    }
    ++good_lines_;
    if (bad_lines_ == 0) WriteRecord(spool_, record_);
  }

  // The number of spooled lines, with the spool rewound for reading. Errors: kUnprocessable
  // (bad lines, one detail each up to max_errors), kInvalidArgument (no items),
  // kUnavailable (the spool could not be written).
  Result<std::int64_t> Finish() {
    if (bad_lines_ > 0) {
      return Unprocessable(fmt::format("{} of {} lines are bad; nothing was imported", bad_lines_,
                                       good_lines_ + bad_lines_),
                           std::move(errors_));
    }
    if (good_lines_ == 0) {
      return InvalidArgument("the import has no items", {{"body", "empty", "no JSONL lines"}});
    }
    if (std::fflush(spool_) != 0 || std::ferror(spool_) || std::fseek(spool_, 0, SEEK_SET) != 0) {
      return Fail(ErrorCode::kUnavailable, "the import spool file could not be written");
    }
    return good_lines_;
  }

 private:
  const Template& tmpl_;
  std::FILE* spool_;
  int max_errors_;
  json::parser parser_;
  SpooledItem record_;  // reused, so its buffers are allocated once
  std::vector<FieldError> errors_;
  std::int64_t good_lines_ = 0, bad_lines_ = 0;
};

// Inserts the items of one import inside the caller's transaction (on SQLite the statement
// is prepared once and reused). An item whose external_id the project already holds is not
// inserted: the partial unique index items_external_id refuses it, and ON CONFLICT DO NOTHING
// makes that a count rather than an aborted transaction.
class ItemInserter {
 public:
  enum class Outcome { kNew, kExisting, kRepeated };  // kRepeated: an earlier line of this import

  ItemInserter(const tenancy::LabScope& lab, long long project_id, long long import_id,
               long long now)
      : lab_(lab), project_id_(project_id), import_id_(import_id), now_(now) {}

  // Seals `payload` and `gold` (nullptr for a regular item) under the lab and inserts them.
  Outcome Insert(std::string_view payload, int priority, const std::string* gold,
                 const std::string& external_id) {
    std::optional<std::string> sealed_gold;
    if (gold) sealed_gold = lab_.Seal(*gold);
    std::optional<std::string> ext;
    if (!external_id.empty()) ext = external_id;
    long long inserted =
        lab_.Query(
                "INSERT INTO items (org_id, project_id, import_id, external_id, payload, priority, "
                "is_gold, gold_answer, created_at) VALUES (:org, :p, :i, :e, :pl, :pr, :g, :ga, "
                ":c) "
                "ON CONFLICT DO NOTHING")
            .Bind(project_id_)
            .Bind(import_id_)
            .Bind(ext)
            .Bind(lab_.Seal(payload))
            .Bind(priority)
            .Bind(gold ? 1 : 0)
            .Bind(sealed_gold)
            .Bind(now_)
            .Run();
    if (inserted == 1) return Outcome::kNew;
    std::optional<long long> holder;
    lab_.Query(
            "SELECT import_id FROM items WHERE org_id = :org AND project_id = :p AND external_id = "
            ":e")
        .Bind(project_id_)
        .Bind(external_id)
        .One(holder);
    return holder == import_id_ ? Outcome::kRepeated : Outcome::kExisting;
  }

 private:
  const tenancy::LabScope& lab_;
  long long project_id_, import_id_, now_;
};

// The store step, inside the import's transaction: records the import and inserts the
// spooled items. Errors: kUnprocessable (lines repeating an earlier line's external_id: one
// detail each up to max_errors; the transaction then stores nothing), kUnavailable (the
// spool could not be read back).
Result<ImportSummary> StoreSpooled(const tenancy::LabScope& lab, const Caller& caller,
                                   long long project_id, std::FILE* spool, std::int64_t records,
                                   long long now, int max_errors) {
  if (std::fseek(spool, 0, SEEK_SET) != 0) return Fail(ErrorCode::kUnavailable, "spool file lost");
  std::optional<long long> user;  // none: the command line
  if (caller.user_id) user = caller.user_id;
  ImportSummary sum;
  long long import_id = 0;
  lab.Query(
         "INSERT INTO imports (org_id, project_id, status, items, gold_items, created_by, "
         "created_at, "
         "finished_at) VALUES (:org, :p, 'done', 0, 0, :u, :c, :c2) RETURNING id")
      .Bind(project_id)
      .Bind(user)
      .Bind(now)
      .Bind(now)
      .One(import_id);
  sum.import_id = import_id;
  ItemInserter inserter(lab, project_id, import_id, now);
  SpooledItem r;
  std::vector<FieldError> repeated;
  std::int64_t repeated_lines = 0;
  for (std::int64_t i = 0; i < records; ++i) {
    if (!ReadRecord(spool, &r)) {
      return Fail(ErrorCode::kUnavailable, "the import spool file could not be read back");
    }
    switch (
        inserter.Insert(r.payload, r.priority, r.gold ? &r.gold_answer : nullptr, r.external_id)) {
      case ItemInserter::Outcome::kNew:
        ++(r.gold ? sum.gold_items : sum.items);
        break;
      case ItemInserter::Outcome::kExisting:
        ++sum.existing;
        break;
      case ItemInserter::Outcome::kRepeated:
        if (++repeated_lines <= max_errors) {
          repeated.push_back({fmt::format("line {}", r.line), "duplicate_external_id",
                              fmt::format("external_id \"{}\" is on an earlier line of this "
                                          "upload",
                                          r.external_id)});
        }
        break;
    }
  }
  if (repeated_lines > 0) {
    return Unprocessable(fmt::format("{} lines repeat the external_id of an earlier line; nothing "
                                     "was imported",
                                     repeated_lines),
                         std::move(repeated));
  }
  lab.Query(
         "UPDATE imports SET items = :n, gold_items = :g, existing = :x WHERE org_id = :org AND id "
         "= :i")
      .Bind(sum.items)
      .Bind(sum.gold_items)
      .Bind(sum.existing)
      .Bind(import_id)
      .Run();
  CountNewItems(lab.session(), project_id, sum.items);
  return sum;
}

}  // namespace

Result<ImportSummary> ProjectService::Import(const Caller& caller, std::int64_t project_id,
                                             const ByteSource& source) {
  FW_TRY(Project project, Get(caller, project_id));
  SpoolFile spool;
  FW_TRY_STATUS(spool.Create(options_.spool_dir));
  LineChecker checker(*project.tmpl, spool.file(), options_.max_reported_errors);
  FW_TRY_STATUS(ForEachLine(
      source, [&](std::uint64_t line_no, std::string_view text) { checker.Check(line_no, text); }));
  FW_TRY(std::int64_t records, checker.Finish());
  long long now = clock_.Now();
  return db_.Write<ImportSummary>([&](soci::session& s) -> Result<ImportSummary> {
    return StoreSpooled(tenancy_.Scope(s, caller.org_id), caller, project_id, spool.file(), records,
                        now, options_.max_reported_errors);
  });
}

}  // namespace fw::projects
