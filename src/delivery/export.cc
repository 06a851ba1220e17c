#include "delivery/export.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/json.h"

namespace fw::delivery {

namespace json = boost::json;
using projects::PreferenceExport;
using projects::SftExport;
using projects::Template;
using security::IdKind;

std::string_view ExportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kRaw:
      return "raw";
    case ExportFormat::kSft:
      return "sft";
    case ExportFormat::kPreference:
      return "preference";
  }
  FW_CHECK(false && "unhandled export format");
  return {};
}

Result<ExportFormat> ParseExportFormat(std::string_view text) {
  if (text == "raw") return ExportFormat::kRaw;
  if (text == "sft") return ExportFormat::kSft;
  if (text == "preference") return ExportFormat::kPreference;
  return InvalidArgument("format must be raw, sft or preference",
                         {{"format", "invalid", "one of raw, sft, preference"}});
}

namespace {

// One submission of a page, with its item's columns from the join.
struct Row {
  long long id = 0;
  long long item_id = 0;
  std::string external_id;
  bool has_external_id = false;
  std::string payload;  // stored (sealed) form
  std::string answer;   // stored (sealed) form
  int template_version = 0;
  long long expert_id = 0;
  long long active_seconds = 0;
  long long leased_at = 0;
  long long submitted_at = 0;
  bool is_gold = false;
  // The review room's acceptance of the submission (has_review false when it has none) and the
  // scores of its last reviewer decision (sealed; empty when none).
  bool has_review = false;
  std::string review_status, review_outcome, review_reason, review_comment;
  int review_round = 0;
  std::string review_scores;
};

void AppendInt(std::string& out, long long v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

// The member `key` of `obj`, or nullptr when `obj` is null or the member is absent or null.
const json::value* Member(const json::object* obj, std::string_view key) {
  if (!obj) return nullptr;
  const json::value* v = obj->if_contains(key);
  if (!v || v->is_null()) return nullptr;
  return v;
}

// The member as a non-empty string, or nullopt.
std::optional<std::string_view> NonEmptyString(const json::object* obj, std::string_view key) {
  const json::value* v = Member(obj, key);
  if (!v || !v->is_string() || v->get_string().empty()) return std::nullopt;
  return std::string_view(v->get_string());
}

bool HasMapping(const Template& t, ExportFormat format) {
  switch (format) {
    case ExportFormat::kRaw:
      return true;
    case ExportFormat::kSft:
      return t.export_mapping().sft.has_value();
    case ExportFormat::kPreference:
      return t.export_mapping().preference.has_value();
  }
  return false;
}

// Appends {"role":...,"content":...} and a comma.
void AppendMessage(std::string& out, std::string_view role, std::string_view content) {
  out += "{\"role\":";
  AppendJsonString(out, role);
  out += ",\"content\":";
  AppendJsonString(out, content);
  out += "},";
}

// Stored JSON texts into export lines: parsing into an arena that is reused row after row (64 KiB
// inside the object, so most rows allocate nothing) and serializing values straight into the
// output.
class JsonMachinery {
 public:
  JsonMachinery() = default;
  JsonMachinery(const JsonMachinery&) = delete;
  JsonMachinery& operator=(const JsonMachinery&) = delete;

  // Frees every value parsed so far.
  void Release() { mr_.release(); }
  // The arena, for values that parsed values are assigned to (which then move, not copy).
  json::storage_ptr Arena() { return json::storage_ptr(&mr_); }

  // Parses into the arena; the value lives until the next Release().
  Result<json::value> Parse(std::string_view text, std::string_view what);
  // Appends a stored payload, answer or aggregate answer (see the definition).
  Status AppendStored(std::string& out, std::string_view text, std::string_view what);
  void AppendValue(std::string& out, const json::value& v);

 private:
  unsigned char arena_[64 * 1024];
  json::monotonic_resource mr_{arena_, sizeof arena_};
  json::parser parser_;
};

Result<json::value> JsonMachinery::Parse(std::string_view text, std::string_view what) {
  parser_.reset(Arena());
  boost::system::error_code ec;
  parser_.write(text.data(), text.size(), ec);
  if (ec) return Internal(fmt::format("a stored {} is not JSON", what));
  return parser_.release();
}

// Stored payloads and answers are compact JSON: they were validated and serialized by
// boost::json before they were stored. Such a text is copied as it is, which keeps it
// byte-exact and is several times faster than parsing and serializing it again. A text with
// a line break (valid JSON has one only as whitespace between tokens) or an empty one goes
// through the parser, so every record stays one line and a corrupt value fails loudly.
Status JsonMachinery::AppendStored(std::string& out, std::string_view text, std::string_view what) {
  if (!text.empty() && std::memchr(text.data(), '\n', text.size()) == nullptr &&
      std::memchr(text.data(), '\r', text.size()) == nullptr) {
    out.append(text);
    return {};
  }
  Release();
  FW_TRY(json::value v, Parse(text, what));
  AppendValue(out, v);
  return {};
}

void JsonMachinery::AppendValue(std::string& out, const json::value& v) { AppendJson(out, v); }

// An export's submissions, a page at a time: where the keyset stands, one page of rows (reused,
// so string capacity is reused too) and, except for sft, the aggregated answers of the page's
// items. Its memory is bounded by one page.
class SubmissionPages {
 public:
  // With `item_id`, only that item's submissions (raw only); with `accepted_only`, only the
  // accepted ones.
  SubmissionPages(db::Database& db, const tenancy::Tenancy& tenancy, std::int64_t org_id,
                  std::int64_t project_id, ExportFormat format,
                  std::optional<std::int64_t> item_id, bool accepted_only = false);
  SubmissionPages(const SubmissionPages&) = delete;
  SubmissionPages& operator=(const SubmissionPages&) = delete;

  // Reads the page after the last one (at most kExportPageSize rows; fewer on the last page).
  Status ReadNext(JsonMachinery& json);
  std::span<const Row> rows() const { return {rows_.data(), rows_in_page_}; }
  // `,"aggregate":{...}`: the item's aggregated answers, {} before its first report.
  void AppendAggregate(const Row& r, std::string& out) const;

 private:
  Status ReadRows();
  Status ReadAggregates(JsonMachinery& json);

  db::Database& db_;
  const tenancy::Tenancy& tenancy_;
  const std::int64_t org_id_;
  const std::int64_t project_id_;
  const ExportFormat format_;
  const std::optional<std::int64_t> item_id_;
  const bool accepted_only_;
  long long page_after_ = 0;  // the page holds the submissions with ids in (page_after_, last_id_]
  long long last_id_ = 0;
  std::vector<Row> rows_;
  std::size_t rows_in_page_ = 0;
  std::unordered_map<long long, std::string> aggregates_;  // item id -> JSON object, this page
};

SubmissionPages::SubmissionPages(db::Database& db, const tenancy::Tenancy& tenancy,
                                 std::int64_t org_id, std::int64_t project_id, ExportFormat format,
                                 std::optional<std::int64_t> item_id, bool accepted_only)
    : db_(db),
      tenancy_(tenancy),
      org_id_(org_id),
      project_id_(project_id),
      format_(format),
      item_id_(item_id),
      accepted_only_(accepted_only) {}

Status SubmissionPages::ReadNext(JsonMachinery& json) {
  FW_TRY_STATUS(ReadRows());
  page_after_ = last_id_;
  if (rows_in_page_ > 0) last_id_ = rows_[rows_in_page_ - 1].id;
  if (format_ != ExportFormat::kSft) FW_TRY_STATUS(ReadAggregates(json));
  return {};
}

#define FW_PAGE_SQL(filter)                                                                       \
  "SELECT s.id, s.item_id, i.external_id, i.payload, s.answer, s.template_version, s.expert_id, " \
  "s.active_seconds, s.leased_at, s.submitted_at, s.is_gold, ac.status, ac.outcome, ac.reason, "   \
  "ac.comment, ac.round, (SELECT rv.scores FROM reviews rv WHERE rv.submission_id = s.id AND "    \
  "rv.state = 'decided' AND rv.second_opinion = 0 ORDER BY rv.round DESC LIMIT 1) "              \
  "FROM submissions s JOIN items i ON i.id = s.item_id AND i.org_id = s.org_id "                  \
  "LEFT JOIN acceptances ac ON ac.submission_id = s.id "                                          \
  "WHERE s.org_id = :org AND s.project_id = :p" filter " AND s.id > :last"                        \
  " ORDER BY s.id LIMIT :n"

// Reads the page in its own short read transaction. Rows are copied out before any other work,
// so no database session is held while pseudonyms or template versions (which may read the
// database themselves) are looked up. Gold submissions check experts; they are no training
// data, so only raw carries them.
Status SubmissionPages::ReadRows() {
  static constexpr tenancy::LabSql kWithGold = FW_PAGE_SQL("");
  static constexpr tenancy::LabSql kWithoutGold = FW_PAGE_SQL(" AND s.is_gold = 0");
  static constexpr tenancy::LabSql kOneItem = FW_PAGE_SQL(" AND s.item_id = :item");
#define FW_ACCEPTED                                                                        \
  " AND EXISTS (SELECT 1 FROM acceptances ac WHERE ac.submission_id = s.id AND ac.status = " \
  "'accepted')"
  static constexpr tenancy::LabSql kAcceptedWithGold = FW_PAGE_SQL(FW_ACCEPTED);
  static constexpr tenancy::LabSql kAcceptedWithoutGold =
      FW_PAGE_SQL(" AND s.is_gold = 0" FW_ACCEPTED);
#undef FW_ACCEPTED
  rows_in_page_ = 0;
  FW_TRY_STATUS(db_.Read<bool>([&](soci::session& s) -> Result<bool> {
    Row r;
    std::optional<std::string> external_id;
    int is_gold = 0;
    std::optional<std::string> status, outcome, reason, comment, scores;
    std::optional<int> round;
    const bool raw = format_ == ExportFormat::kRaw;
    auto query = tenancy_.Scope(s, org_id_).Query(
        item_id_         ? kOneItem
        : accepted_only_ ? (raw ? kAcceptedWithGold : kAcceptedWithoutGold)
        : raw            ? kWithGold
                         : kWithoutGold);
    query.Bind(project_id_);
    if (item_id_) query.Bind(*item_id_);
    query.Bind(last_id_)
        .Bind(kExportPageSize)
        .Each(
            [&] {
              if (rows_.size() <= rows_in_page_) rows_.emplace_back();
              Row& dst = rows_[rows_in_page_++];
              dst.id = r.id;
              dst.item_id = r.item_id;
              dst.has_external_id = external_id.has_value();
              if (external_id) dst.external_id.swap(*external_id);
              // Swapping hands the page's buffers back and forth, so their capacity is reused.
              dst.payload.swap(r.payload);
              dst.answer.swap(r.answer);
              dst.template_version = r.template_version;
              dst.expert_id = r.expert_id;
              dst.active_seconds = r.active_seconds;
              dst.leased_at = r.leased_at;
              dst.submitted_at = r.submitted_at;
              dst.is_gold = is_gold != 0;
              dst.has_review = status.has_value();
              dst.review_status = status.value_or("");
              dst.review_outcome = outcome.value_or("");
              dst.review_reason = reason.value_or("");
              dst.review_comment = comment.value_or("");
              dst.review_round = round.value_or(0);
              dst.review_scores = scores.value_or("");
              return true;
            },
            r.id, r.item_id, external_id, r.payload, r.answer, r.template_version, r.expert_id,
            r.active_seconds, r.leased_at, r.submitted_at, is_gold, status, outcome, reason,
            comment, round, scores);
    return true;
  }));
  return {};
}

void SubmissionPages::AppendAggregate(const Row& r, std::string& out) const {
  out += ",\"aggregate\":";
  auto agg = aggregates_.find(r.item_id);
  out += agg == aggregates_.end() ? std::string_view("{}") : std::string_view(agg->second);
}

// The page's items' aggregated answers (quality reports), as the JSON object raw lines
// carry: {"question": {"answer", "confidence", "judgments"}, ...}.
Status SubmissionPages::ReadAggregates(JsonMachinery& json) {
  aggregates_.clear();
  if (rows_in_page_ == 0) return {};
  // The items of the page's submissions, read by the submissions' id range rather than an
  // IN list, so the statement text stays the same for every page.
  using AggregateRow = std::tuple<long long, std::string, std::string, double, int>;
  FW_TRY(
      std::vector<AggregateRow> rows,
      db_.Read<std::vector<AggregateRow>>(
          [&](soci::session& s) -> Result<std::vector<AggregateRow>> {
            return tenancy_.Scope(s, org_id_)
                .Query(
                    "SELECT item_id, question, answer, confidence, judgments FROM item_aggregates "
                    "WHERE org_id = :org AND project_id = :p AND item_id IN (SELECT item_id FROM "
                    "submissions WHERE project_id = :p2 AND id > :a AND id <= :b) "
                    "ORDER BY item_id, question")
                .Bind(project_id_)
                .Bind(project_id_)
                .Bind(page_after_)
                .Bind(last_id_)
                .All<long long, std::string, std::string, double, int>();
          }));
  for (auto& [item, question, answer, confidence, judgments] : rows) {
    std::string& obj = aggregates_[item];
    obj += obj.empty() ? "{" : ",";
    AppendJsonString(obj, question);
    obj += ":{\"answer\":";
    FW_TRY_STATUS(json.AppendStored(obj, answer, "aggregate"));
    obj += fmt::format(",\"confidence\":{},\"judgments\":{}}}", confidence, judgments);
  }
  for (auto& [item, obj] : aggregates_) obj += "}";
  return {};
}

// The state of one export between producer calls: its pages, the pseudonyms and template
// versions seen so far, and the JSON machinery. Its memory is bounded by one page and the
// number of distinct experts and template versions, never by the size of the export.
class Exporter {
 public:
  Exporter(db::Database& db, projects::ProjectService& projects, const security::IdCodec& ids,
           const PseudonymFn& pseudonym, std::int64_t org_id, std::int64_t project_id,
           ExportFormat format, std::shared_ptr<const Template> current,
           std::optional<std::int64_t> item_id = std::nullopt, bool accepted_only = false)
      : projects_(projects),
        ids_(ids),
        pseudonym_(pseudonym),
        org_id_(org_id),
        project_id_(project_id),
        format_(format),
        current_(std::move(current)),
        pages_(db, projects.tenancy(), org_id, project_id, format, item_id, accepted_only) {}

  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  Result<bool> Next(std::string& out);

 private:
  Status NextPage(std::string& out);
  Status EmitRaw(const Row& r, std::string& out);
  Status AppendReview(const Row& r, std::string& out);
  Status EmitSft(const Row& r, std::string& out);
  Status EmitPreference(const Row& r, std::string& out);
  Result<const std::string*> Pseudonym(long long expert_id);
  Result<const Template*> TemplateFor(int version);

  projects::ProjectService& projects_;
  const security::IdCodec& ids_;
  const PseudonymFn& pseudonym_;  // owned by the ExportService, which outlives the export
  const std::int64_t org_id_;
  const std::int64_t project_id_;
  const ExportFormat format_;
  const std::shared_ptr<const Template> current_;

  bool done_ = false;
  std::optional<Error> failed_;
  SubmissionPages pages_;
  std::unordered_map<long long, std::string> pseudonyms_;
  std::map<int, std::shared_ptr<const Template>> versions_;
  JsonMachinery json_;
};

Result<bool> Exporter::Next(std::string& out) {
  if (failed_) return tl::unexpected<Error>(*failed_);
  if (done_) return false;
  Status st = NextPage(out);
  if (!st) {
    failed_ = st.error();
    return tl::unexpected<Error>(std::move(st).error());
  }
  return !done_;
}

Status Exporter::NextPage(std::string& out) {
  FW_TRY_STATUS(pages_.ReadNext(json_));
  const std::span<const Row> rows = pages_.rows();
  if (rows.size() < static_cast<std::size_t>(kExportPageSize)) done_ = true;
  for (const Row& r : rows) {
    switch (format_) {
      case ExportFormat::kRaw:
        FW_TRY_STATUS(EmitRaw(r, out));
        break;
      case ExportFormat::kSft:
        FW_TRY_STATUS(EmitSft(r, out));
        break;
      case ExportFormat::kPreference:
        FW_TRY_STATUS(EmitPreference(r, out));
        break;
    }
  }
  return {};
}

Status Exporter::EmitRaw(const Row& r, std::string& out) {
  FW_TRY(std::string data, projects_.tenancy().Open(org_id_, r.payload));
  FW_TRY(std::string answer, projects_.tenancy().Open(org_id_, r.answer));
  FW_TRY(const std::string* expert, Pseudonym(r.expert_id));
  out += "{\"submission_id\":\"";
  out += ids_.Encode(IdKind::kSubmission, r.id);
  out += "\",\"item_id\":\"";
  out += ids_.Encode(IdKind::kItem, r.item_id);
  out += "\",\"external_id\":";
  if (r.has_external_id) {
    AppendJsonString(out, r.external_id);
  } else {
    out += "null";
  }
  out += ",\"data\":";
  FW_TRY_STATUS(json_.AppendStored(out, data, "item payload"));
  out += ",\"answer\":";
  FW_TRY_STATUS(json_.AppendStored(out, answer, "answer"));
  out += ",\"template_version\":";
  AppendInt(out, r.template_version);
  out += ",\"expert\":";
  AppendJsonString(out, *expert);
  out += ",\"active_seconds\":";
  AppendInt(out, r.active_seconds);
  out += ",\"leased_at\":\"";
  out += FormatTime(r.leased_at);
  out += "\",\"submitted_at\":\"";
  out += FormatTime(r.submitted_at);
  out += "\",\"is_gold\":";
  out += r.is_gold ? "true" : "false";
  FW_TRY_STATUS(AppendReview(r, out));
  pages_.AppendAggregate(r, out);
  out += "}\n";
  return {};
}

// The submission's review as its lab sees it: what was decided and why, never by whom.
Status Exporter::AppendReview(const Row& r, std::string& out) {
  out += ",\"review\":";
  if (!r.has_review) {
    out += "null";
    return {};
  }
  auto text_or_null = [&](const std::string& v) {
    if (v.empty()) {
      out += "null";
    } else {
      AppendJsonString(out, v);
    }
  };
  out += "{\"status\":";
  AppendJsonString(out, r.review_status);
  out += ",\"outcome\":";
  text_or_null(r.review_outcome);
  out += ",\"reason\":";
  text_or_null(r.review_reason);
  out += ",\"comment\":";
  text_or_null(r.review_comment);
  out += ",\"round\":";
  AppendInt(out, r.review_round);
  out += ",\"scores\":";
  if (r.review_scores.empty()) {
    out += "null";
  } else {
    FW_TRY(std::string scores, projects_.tenancy().Open(org_id_, r.review_scores));
    FW_TRY_STATUS(json_.AppendStored(out, scores, "review scores"));
  }
  out += "}";
  return {};
}

Result<const std::string*> Exporter::Pseudonym(long long expert_id) {
  auto it = pseudonyms_.find(expert_id);
  if (it == pseudonyms_.end()) {
    FW_TRY(std::string p, pseudonym_(org_id_, expert_id));
    it = pseudonyms_.emplace(expert_id, std::move(p)).first;
  }
  return &it->second;
}

Status Exporter::EmitSft(const Row& r, std::string& out) {
  FW_TRY(const Template* t, TemplateFor(r.template_version));
  const SftExport& m = *t->export_mapping().sft;
  json_.Release();  // the values of the previous row are gone
  FW_TRY(std::string answer_text, projects_.tenancy().Open(org_id_, r.answer));
  FW_TRY(json::value answer, json_.Parse(answer_text, "answer"));
  const json::object* a = answer.if_object();
  std::optional<std::string_view> response = NonEmptyString(a, m.response_question);
  if (!response) return {};

  json::value data(json_.Arena());  // in the arena, so assigning a parsed value moves, not copies
  const json::object* d = nullptr;
  if (m.prompt_from == SftExport::PromptFrom::kField || m.system_field) {
    FW_TRY(std::string data_text, projects_.tenancy().Open(org_id_, r.payload));
    FW_TRY(data, json_.Parse(data_text, "item payload"));
    d = data.if_object();
  }
  const json::value* prompt =
      Member(m.prompt_from == SftExport::PromptFrom::kField ? d : a, m.prompt);
  if (!prompt) return {};
  const json::array* chat = prompt->if_array();
  if (chat ? chat->empty() : !(prompt->is_string() && !prompt->get_string().empty())) return {};

  out += "{\"messages\":[";
  bool opens_with_system = false;
  if (chat) {
    const json::object* first = chat->front().if_object();
    const json::value* role = Member(first, "role");
    opens_with_system = role && role->is_string() && role->get_string() == "system";
  }
  if (m.system_field && !opens_with_system) {
    if (auto system = NonEmptyString(d, *m.system_field)) AppendMessage(out, "system", *system);
  }
  if (chat) {
    for (const json::value& msg : *chat) {
      const json::object* o = msg.if_object();
      const json::value* role = Member(o, "role");
      const json::value* content = Member(o, "content");
      if (!role || !role->is_string() || !content || !content->is_string()) continue;
      AppendMessage(out, role->get_string(), content->get_string());
    }
  } else {
    AppendMessage(out, "user", prompt->get_string());
  }
  AppendMessage(out, "assistant", *response);
  out.back() = ']';  // the last message's separating comma
  out += "}\n";
  return {};
}

Status Exporter::EmitPreference(const Row& r, std::string& out) {
  FW_TRY(const Template* t, TemplateFor(r.template_version));
  const PreferenceExport& m = *t->export_mapping().preference;
  json_.Release();
  FW_TRY(std::string answer_text, projects_.tenancy().Open(org_id_, r.answer));
  FW_TRY(json::value answer, json_.Parse(answer_text, "answer"));
  const json::value* verdict = Member(answer.if_object(), m.question);
  if (!verdict) return {};
  const json::object* v = verdict->if_object();
  const json::value* choice = Member(v, "choice");
  if (!choice || !choice->is_string()) return {};
  const std::string* chosen_field = nullptr;
  const std::string* rejected_field = nullptr;
  if (choice->get_string() == "A") {
    chosen_field = &m.a_field;
    rejected_field = &m.b_field;
  } else if (choice->get_string() == "B") {
    chosen_field = &m.b_field;
    rejected_field = &m.a_field;
  } else {
    return {};  // a tie teaches no preference
  }

  FW_TRY(std::string data_text, projects_.tenancy().Open(org_id_, r.payload));
  FW_TRY(json::value data, json_.Parse(data_text, "item payload"));
  const json::object* d = data.if_object();
  const json::value* prompt = Member(d, m.prompt_field);
  const json::value* chosen = Member(d, *chosen_field);
  const json::value* rejected = Member(d, *rejected_field);
  if (!prompt || !chosen || !rejected) return {};

  out += "{\"prompt\":";
  json_.AppendValue(out, *prompt);
  out += ",\"chosen\":";
  json_.AppendValue(out, *chosen);
  out += ",\"rejected\":";
  json_.AppendValue(out, *rejected);
  if (const json::value* strength = Member(v, "strength")) {
    if (auto n = AsInteger(*strength)) {
      out += ",\"strength\":";
      AppendInt(out, *n);
    }
  }
  out += ",\"item_id\":\"";
  out += ids_.Encode(IdKind::kItem, r.item_id);
  out += "\"";
  pages_.AppendAggregate(r, out);
  out += "}\n";
  return {};
}

// The template whose mapping applies to a submission of `version`: that version's when it
// has the mapping, else the current one (which Export checked has it).
Result<const Template*> Exporter::TemplateFor(int version) {
  auto it = versions_.find(version);
  if (it == versions_.end()) {
    std::shared_ptr<const Template> use = current_;
    auto t = projects_.TemplateVersion(project_id_, version);
    if (t) {
      if (HasMapping(**t, format_)) use = *t;
    } else if (t.error().code != ErrorCode::kNotFound) {
      return tl::unexpected<Error>(std::move(t).error());
    }
    it = versions_.emplace(version, std::move(use)).first;
  }
  return it->second.get();
}

}  // namespace

Result<std::string> ExportService::ItemSubmissions(const Caller& caller, std::int64_t project_id,
                                                   std::int64_t item_id) {
  FW_TRY(projects::Project project, projects_.Get(caller, project_id));
  FW_TRY(projects::Item item, projects_.GetItem(caller, project_id, item_id));
  (void)item;
  Exporter exporter(db_, projects_, ids_, pseudonym_, project.org_id, project.id,
                    ExportFormat::kRaw, project.tmpl, item_id);
  std::string lines;
  for (;;) {
    FW_TRY(bool more, exporter.Next(lines));
    if (!more) break;
  }
  // Raw lines, one object each, become the members of one array.
  std::string out = "{\"submissions\":[";
  for (char c : lines) out += c == '\n' ? ',' : c;
  if (out.back() == ',') out.pop_back();
  out += "]}";
  return out;
}

ExportService::ExportService(db::Database& db, projects::ProjectService& projects,
                             const security::IdCodec& ids, PseudonymFn pseudonym)
    : db_(db), projects_(projects), ids_(ids), pseudonym_(std::move(pseudonym)) {}

Result<http::StreamProducer> ExportService::Export(const Caller& caller, std::int64_t project_id,
                                                   ExportFormat format, bool accepted_only) {
  FW_TRY(projects::Project project, projects_.Get(caller, project_id));
  if (!HasMapping(*project.tmpl, format)) {
    std::string name(ExportFormatName(format));
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("the project's template has no {} export mapping", name),
                {{"format", "no_mapping",
                  fmt::format("add export.{} to the template to export as {}", name, name)}},
                "no_mapping");
  }
  auto exporter = std::make_shared<Exporter>(db_, projects_, ids_, pseudonym_, project.org_id,
                                             project.id, format, project.tmpl, std::nullopt,
                                             accepted_only);
  return http::StreamProducer(
      [exporter](std::string& out) -> Result<bool> { return exporter->Next(out); });
}

}  // namespace fw::delivery
