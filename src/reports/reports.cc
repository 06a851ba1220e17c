#include "reports/reports.h"

#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "base/json.h"
#include "db/query.h"
#include "projects/pool.h"
#include "quality/agreement.h"
#include "quality/answers.h"
#include "quality/categorical.h"
#include "quality/pairwise.h"
#include "quality/replay.h"

namespace fw::reports {

// The quality library's vocabulary, used throughout this file.
using quality::AggregateRatings;
using quality::AlphaLevel;
using quality::Answer;
using quality::AnswerSet;
using quality::AnswerSetBuilder;
using quality::ExpertGate;
using quality::GatedWorkers;
using quality::Infer;
using quality::InferenceOptions;
using quality::InferenceResult;
using quality::InferMultiLabel;
using quality::kNoTruth;
using quality::KrippendorffAlpha;
using quality::kStoppingModelIterations;
using quality::Method;
using quality::MultiLabelAnswer;
using quality::MultiLabelResult;
using quality::Rating;
using quality::RatingResult;
using quality::StoppingRule;
using quality::WorkerInformation;

namespace json = boost::json;
using projects::Question;
using projects::QuestionType;

namespace {

// An aggregate is written again when its answer or its number of judgments changed, or when
// its confidence moved by more than this: a refit moves every posterior a little, and
// rewriting a whole project for that would load the writer the work loop needs.
constexpr double kConfidenceEpsilon = 0.01;
// A project's in-memory state is dropped after this long without a pass or a request.
constexpr std::int64_t kIdleStateSeconds = 30 * 60;
// How long after its submitted_at a PostgreSQL submission is surely committed or gone.
constexpr std::int64_t kCommitLagSeconds = 30;
// The background thread spends at most about 1/kDutyDivisor of its time in passes.
constexpr double kDutyDivisor = 10;

bool Aggregated(QuestionType t) {
  return t == QuestionType::kLabel || t == QuestionType::kPreference ||
         t == QuestionType::kRating || t == QuestionType::kMultiLabel;
}

std::string_view MethodFor(QuestionType t) {
  switch (t) {
    case QuestionType::kLabel:
    case QuestionType::kPreference:
      return "ds";
    case QuestionType::kMultiLabel:
      return "ds-per-option";
    case QuestionType::kRating:
      return "bias-corrected-mean";
    case QuestionType::kRubric:
      return "per-criterion";
    default:
      return "none";
  }
}

}  // namespace

// The judgments of one question in dense form.
struct QuestionData {
  std::string name;  // the question's, or "<rubric question>.<criterion>"
  QuestionType type = QuestionType::kLabel;
  // A rubric criterion, aggregated on its own: pass_fail as a label question whose labels are
  // "false" and "true" (answers are JSON booleans), points as a rating from 0 to max_points.
  std::string parent;                   // the rubric question; "" for a question of the template
  std::string criterion;                // the criterion's name within it
  bool boolean = false;                 // pass_fail: labels map to JSON false/true
  std::vector<std::string> labels;      // label/preference/multi_label options; rating values
  std::int64_t rating_min = 0;          // rating: label index + rating_min is the value
  std::vector<Answer> answers;          // label, preference, rating (label = index)
  std::vector<MultiLabelAnswer> multi;  // multi_label
  std::size_t judgments = 0;            // answers given to the question, of any type
  // The last aggregate written per item index (16 bytes each: projects have millions).
  struct Written {
    std::uint64_t answer_hash = 0;
    float confidence = -1;
    std::int32_t judgments = -1;
  };
  std::vector<Written> written;
  // Results of the last pass, for the report.
  std::optional<double> agreement;
  std::string agreement_metric;
  std::string agreement_note;
  std::size_t items_aggregated = 0;
  double mean_confidence = 0;
};

struct ReportService::ProjectState {
  std::mutex mu;                           // one pass at a time
  std::atomic<std::int64_t> last_used{0};  // clock seconds; idle states are dropped
  std::atomic<bool> stale{false};  // an answer read earlier changed: the next pass starts over
  std::int64_t org_id = 0;
  // Every submission with an id up to this one has been read. On PostgreSQL ids are drawn
  // before commit, so a lower id can become visible after a higher one; rows read beyond the
  // cursor are remembered in `ahead` until the cursor passes them (see Pass).
  std::int64_t last_submission_id = 0;
  std::unordered_set<std::int64_t> ahead;
  std::int64_t submissions = 0;
  int template_version = 0;  // of the questions below; a new version starts over
  std::vector<std::int64_t> items;
  std::unordered_map<std::int64_t, std::uint32_t> item_index;
  std::vector<std::uint8_t> item_gold;
  std::vector<std::uint8_t> item_settled;
  std::vector<std::int64_t> experts;
  std::unordered_map<std::int64_t, std::uint32_t> expert_index;
  std::vector<std::int64_t> expert_answers, expert_gold, expert_gold_correct;
  std::vector<QuestionData> questions;
  // The expert ids last written to expert_gates for this project; nullopt: not known (a new
  // state), so the next pass writes whatever it finds.
  std::optional<std::vector<std::int64_t>> written_gates;

  std::uint32_t Item(std::int64_t id, bool gold) {
    auto [it, fresh] = item_index.try_emplace(id, static_cast<std::uint32_t>(items.size()));
    if (fresh) {
      items.push_back(id);
      item_gold.push_back(gold ? 1 : 0);
      item_settled.push_back(0);
    }
    return it->second;
  }
  std::uint32_t Expert(std::int64_t id) {
    auto [it, fresh] = expert_index.try_emplace(id, static_cast<std::uint32_t>(experts.size()));
    if (fresh) {
      experts.push_back(id);
      expert_answers.push_back(0);
      expert_gold.push_back(0);
      expert_gold_correct.push_back(0);
    }
    return it->second;
  }

  void Reset(const projects::Template& tmpl, int version) {
    org_id = 0;
    last_submission_id = 0;
    ahead.clear();
    submissions = 0;
    items.clear();
    item_index.clear();
    item_gold.clear();
    item_settled.clear();
    experts.clear();
    expert_index.clear();
    written_gates.reset();
    expert_answers.clear();
    expert_gold.clear();
    expert_gold_correct.clear();
    questions.clear();
    template_version = version;
    for (const Question& q : tmpl.questions()) {
      QuestionData d;
      d.name = q.name;
      d.type = q.type();
      d.agreement_metric = d.type == QuestionType::kRating       ? "alpha-interval"
                           : d.type == QuestionType::kMultiLabel ? "alpha-nominal-sets"
                                                                 : "alpha-nominal";
      if (const auto* l = std::get_if<projects::LabelSpec>(&q.spec)) d.labels = l->options;
      if (const auto* m = std::get_if<projects::MultiLabelSpec>(&q.spec)) d.labels = m->options;
      if (std::holds_alternative<projects::PreferenceSpec>(q.spec)) d.labels = {"A", "B", "tie"};
      if (const auto* r = std::get_if<projects::RatingSpec>(&q.spec)) {
        d.rating_min = r->min;
        for (std::int64_t v = r->min; v <= r->max; ++v) d.labels.push_back(std::to_string(v));
      }
      questions.push_back(std::move(d));
      if (const auto* rubric = std::get_if<projects::RubricSpec>(&q.spec)) {
        for (const projects::RubricCriterion& c : rubric->criteria) {
          QuestionData cd;
          cd.name = q.name + "." + c.name;
          cd.parent = q.name;
          cd.criterion = c.name;
          if (c.kind == projects::CriterionKind::kPassFail) {
            cd.type = QuestionType::kLabel;
            cd.boolean = true;
            cd.labels = {"false", "true"};
            cd.agreement_metric = "alpha-nominal";
          } else {
            cd.type = QuestionType::kRating;
            for (std::int64_t v = 0; v <= c.max_points; ++v) cd.labels.push_back(std::to_string(v));
            cd.agreement_metric = "alpha-interval";
          }
          questions.push_back(std::move(cd));
        }
      }
    }
  }

  // Adds one submission's answer. Values that do not fit the current question (from another
  // template version) are left out.
  void Add(std::uint32_t item, std::uint32_t expert, const json::object& answer) {
    for (QuestionData& q : questions) {
      const json::object* holder = &answer;
      if (!q.parent.empty()) {
        auto p = answer.find(q.parent);
        if (p == answer.end() || !p->value().is_object()) continue;
        holder = &p->value().as_object();
      }
      auto it = holder->find(q.parent.empty() ? q.name : q.criterion);
      if (it == holder->end() || it->value().is_null()) continue;
      const json::value& v = it->value();
      ++q.judgments;
      auto label_index = [&](std::string_view s) -> std::optional<std::uint32_t> {
        for (std::size_t i = 0; i < q.labels.size(); ++i) {
          if (q.labels[i] == s) return static_cast<std::uint32_t>(i);
        }
        return std::nullopt;
      };
      switch (q.type) {
        case QuestionType::kLabel:
          if (q.boolean) {
            if (v.is_bool()) q.answers.push_back({item, expert, v.as_bool() ? 1u : 0u});
          } else if (v.is_string()) {
            if (auto l = label_index(v.as_string())) q.answers.push_back({item, expert, *l});
          }
          break;
        case QuestionType::kPreference:
          if (v.is_object()) {
            auto c = v.as_object().find("choice");
            if (c != v.as_object().end() && c->value().is_string()) {
              if (auto l = label_index(c->value().as_string()))
                q.answers.push_back({item, expert, *l});
            }
          }
          break;
        case QuestionType::kRating:
          if (auto n = AsInteger(v);
              n && *n >= q.rating_min &&
              *n < q.rating_min + static_cast<std::int64_t>(q.labels.size())) {
            q.answers.push_back({item, expert, static_cast<std::uint32_t>(*n - q.rating_min)});
          }
          break;
        case QuestionType::kMultiLabel:
          if (v.is_array()) {
            MultiLabelAnswer m{item, expert, {}};
            for (const json::value& e : v.as_array()) {
              if (!e.is_string()) continue;
              if (auto l = label_index(e.as_string())) m.labels.push_back(*l);
            }
            q.multi.push_back(std::move(m));
          }
          break;
        default:
          break;
      }
    }
  }
};

namespace {

// A question's answers over the items that have any, with dense task indices, as the library
// wants them. `task_item` maps back to the project's item index.
struct Compact {
  AnswerSet set;
  std::vector<std::uint32_t> task_item;
};

Compact CompactAnswers(const QuestionData& q, std::size_t num_items, std::size_t num_experts) {
  Compact c;
  std::vector<std::uint32_t> task_of(num_items, kNoTruth);
  for (const Answer& a : q.answers) {
    if (task_of[a.task] == kNoTruth) {
      task_of[a.task] = static_cast<std::uint32_t>(c.task_item.size());
      c.task_item.push_back(a.task);
    }
  }
  c.set.tasks.resize(c.task_item.size());
  c.set.workers.resize(num_experts);
  c.set.labels = q.labels;
  c.set.answers.reserve(q.answers.size());
  for (const Answer& a : q.answers) c.set.answers.push_back({task_of[a.task], a.worker, a.label});
  return c;
}

struct PendingAggregate {
  std::uint32_t item;
  std::string answer;
  double confidence;
  int judgments;
};

// Runs `write_row(s, i)` for every i in [0, rows), `batch` rows per write job, so the work
// loop's jobs interleave with a long write instead of waiting behind it.
Status WriteInBatches(db::Database& db, std::size_t rows, std::size_t batch,
                      const std::function<void(soci::session&, std::size_t)>& write_row) {
  for (std::size_t start = 0; start < rows; start += batch) {
    const std::size_t end = std::min(rows, start + batch);
    FW_TRY_STATUS(db.Write<bool>([&](soci::session& s) -> Result<bool> {
      for (std::size_t i = start; i < end; ++i) write_row(s, i);
      return true;
    }));
  }
  return {};
}

// What aggregation finds beyond each question's own results, for the writes and the report.
struct Findings {
  // Per question, the aggregates to write; the indices of the items to settle.
  std::vector<std::pair<std::string, std::vector<PendingAggregate>>> changed;
  std::vector<std::uint32_t> settle;
  // Each expert's skill over the label and preference questions, weighted by answers.
  std::vector<double> skill_sum, skill_weight;
  // The gate's verdict per expert, when the project has one (adaptive.gate > 0).
  std::vector<double> gate_information;
  std::vector<std::size_t> gate_judgments;
  std::vector<std::uint8_t> gated;
};

// Counts an item's aggregate into the question's report, and keeps it for writing unless it is
// close enough to the one last written (see kConfidenceEpsilon).
void Consider(QuestionData& q, std::vector<PendingAggregate>& pending, std::uint32_t item,
              std::string answer, double confidence, int judgments) {
  ++q.items_aggregated;
  q.mean_confidence += confidence;
  auto& w = q.written[item];
  std::uint64_t hash = std::hash<std::string>{}(answer);
  if (w.answer_hash == hash && w.judgments == judgments &&
      std::abs(static_cast<double>(w.confidence) - confidence) < kConfidenceEpsilon) {
    return;
  }
  w = {hash, static_cast<float>(confidence), judgments};
  pending.push_back({item, std::move(answer), confidence, judgments});
}

void SetAgreement(QuestionData& q, const Result<double>& alpha) {
  if (alpha)
    q.agreement = *alpha;
  else
    q.agreement_note = alpha.error().message;
}

std::vector<int> JudgmentsPerTask(const Compact& c) {
  std::vector<int> counts(c.task_item.size(), 0);
  for (const Answer& a : c.set.answers) ++counts[a.task];
  return counts;
}

// A rating question: the bias-corrected mean, rounded into the scale; its confidence is the
// share of judgments equal to that value.
Status AggregateRating(QuestionData& q, std::size_t num_items, std::size_t num_experts,
                       std::vector<PendingAggregate>& pending) {
  Compact c = CompactAnswers(q, num_items, num_experts);
  const std::vector<int> counts = JudgmentsPerTask(c);
  std::vector<Rating> ratings;
  ratings.reserve(c.set.answers.size());
  for (const Answer& a : c.set.answers) {
    ratings.push_back(
        {a.task, a.worker, static_cast<double>(a.label) + static_cast<double>(q.rating_min)});
  }
  FW_TRY(RatingResult rr, AggregateRatings(c.task_item.size(), num_experts, ratings));
  std::vector<int> agree(c.task_item.size(), 0);
  std::vector<std::int64_t> rounded(c.task_item.size());
  for (std::size_t t = 0; t < c.task_item.size(); ++t) {
    double lo = static_cast<double>(q.rating_min);
    double hi = lo + static_cast<double>(q.labels.size() - 1);
    rounded[t] = static_cast<std::int64_t>(std::llround(std::clamp(rr.corrected_mean[t], lo, hi)));
  }
  for (const Rating& r : ratings)
    agree[r.task] += static_cast<std::int64_t>(r.value) == rounded[r.task];
  for (std::size_t t = 0; t < c.task_item.size(); ++t) {
    Consider(q, pending, c.task_item[t], ToJson(json::value(rounded[t])),
             static_cast<double>(agree[t]) / counts[t], counts[t]);
  }
  SetAgreement(q, KrippendorffAlpha(c.set, AlphaLevel::kInterval));
  return {};
}

// Agreement over whole sets: each distinct set is one nominal category.
void SetAgreementOverSets(QuestionData& q, const std::vector<MultiLabelAnswer>& dense) {
  AnswerSetBuilder b;
  for (const MultiLabelAnswer& m : dense) {
    std::vector<std::uint32_t> sorted = m.labels;
    std::sort(sorted.begin(), sorted.end());
    std::string key;
    for (std::uint32_t l : sorted) key += fmt::format("{};", l);
    b.Add(std::to_string(m.worker), std::to_string(m.task), key.empty() ? "-" : key);
  }
  AnswerSet sets = b.Finish();
  SetAgreement(q, KrippendorffAlpha(sets, AlphaLevel::kNominal));
}

// A multi-label question: Dawid–Skene per option; the confidence of a set is the product of
// its options' certainties.
Status AggregateMultiLabel(QuestionData& q, std::size_t num_items, std::size_t num_experts,
                           std::vector<PendingAggregate>& pending) {
  std::vector<std::uint32_t> task_of(num_items, kNoTruth), task_item;
  std::vector<MultiLabelAnswer> dense;
  dense.reserve(q.multi.size());
  for (const MultiLabelAnswer& m : q.multi) {
    if (task_of[m.task] == kNoTruth) {
      task_of[m.task] = static_cast<std::uint32_t>(task_item.size());
      task_item.push_back(m.task);
    }
    dense.push_back({task_of[m.task], m.worker, m.labels});
  }
  std::vector<int> counts(task_item.size(), 0);
  for (const MultiLabelAnswer& m : dense) ++counts[m.task];
  FW_TRY(MultiLabelResult r, InferMultiLabel(task_item.size(), num_experts, q.labels.size(), dense,
                                             Method::kDawidSkene, InferenceOptions{}));
  const std::size_t k = q.labels.size();
  for (std::size_t t = 0; t < task_item.size(); ++t) {
    json::array chosen;
    double confidence = 1;
    for (std::size_t l = 0; l < k; ++l) {
      double p = r.probability[t * k + l];
      if (r.chosen[t * k + l]) chosen.emplace_back(q.labels[l]);
      confidence *= std::max(p, 1 - p);
    }
    Consider(q, pending, task_item[t], ToJson(chosen), confidence, counts[t]);
  }
  SetAgreementOverSets(q, dense);
  return {};
}

}  // namespace

ReportService::ReportService(db::Database& db, projects::ProjectService& projects,
                             ReportPseudonymFn pseudonym, const Clock& clock, ReportOptions options)
    : db_(db),
      projects_(projects),
      pseudonym_(std::move(pseudonym)),
      clock_(clock),
      options_(options) {}

ReportService::~ReportService() { Stop(); }

void ReportService::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void ReportService::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReportService::MarkDirty(std::int64_t project_id) {
  std::lock_guard lock(mu_);
  dirty_.insert(project_id);
}

void ReportService::MarkRevised(std::int64_t project_id) {
  std::lock_guard lock(mu_);
  dirty_.insert(project_id);
  // A project without state in memory reads everything on its next pass anyway. A pass running
  // now may have read the answer before the revision; the flag makes the next one start over.
  if (auto it = states_.find(project_id); it != states_.end()) it->second->stale = true;
}

void ReportService::Loop() {
  // Reports are background work: below the request threads in the scheduler's eyes, and
  // pausing long enough after a pass that passes take about a tenth of the thread's time.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
  std::unique_lock lock(mu_);
  const auto interval =
      std::chrono::duration<double>(std::max<std::int64_t>(1, options_.interval_seconds));
  auto pause = interval;
  while (!stopping_) {
    cv_.wait_for(lock, pause);
    if (stopping_) break;
    lock.unlock();
    auto start = std::chrono::steady_clock::now();
    RefreshDirty();
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    pause = std::max<std::chrono::duration<double>>(interval, took * (kDutyDivisor - 1));
    lock.lock();
  }
}

void ReportService::RecordProgressWhenDue() {
  const std::int64_t now = clock_.Now();
  std::int64_t last = progress_recorded_at_.load();
  if (now - last < projects::kProgressRecordSeconds) return;
  if (!progress_recorded_at_.compare_exchange_strong(last, now)) return;  // another caller is
  auto recorded = projects_.RecordProgress();
  if (!recorded) spdlog::warn("recording progress failed: {}", recorded.error().message);
}

void ReportService::RefreshDirty() {
  RecordProgressWhenDue();
  std::set<std::int64_t> dirty;
  {
    std::lock_guard lock(mu_);
    dirty.swap(dirty_);
  }
  for (std::int64_t pid : dirty) {
    auto project = db_.Read<projects::Project>(
        [&](soci::session& s) { return projects_.LoadInTransaction(s, pid); });
    auto r = project ? Pass(*project) : tl::unexpected<Error>(project.error());
    if (!r) spdlog::warn("quality report of project {} failed: {}", pid, r.error().message);
  }
  // A project nobody has worked on or asked about for a while gives its memory back; its next
  // pass rebuilds the state from the store.
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    const std::int64_t idle_before = clock_.Now() - kIdleStateSeconds;
    for (auto it = states_.begin(); it != states_.end();) {
      if (it->second->last_used < idle_before && !dirty_.count(it->first)) {
        it = states_.erase(it);
        ++dropped;
      } else {
        ++it;
      }
    }
  }
  // A pass over a large project allocates and frees hundreds of MB of temporaries; hand them
  // back to the system instead of keeping the peak.
  if (!dirty.empty() || dropped > 0) malloc_trim(0);
}

std::size_t ReportService::cached_projects() {
  std::lock_guard lock(mu_);
  return states_.size();
}

std::shared_ptr<ReportService::ProjectState> ReportService::StateFor(std::int64_t project_id) {
  std::lock_guard lock(mu_);
  auto& slot = states_[project_id];
  if (!slot) slot = std::make_shared<ProjectState>();
  slot->last_used = clock_.Now();
  return slot;
}

Result<json::object> ReportService::Refresh(const Caller& caller, std::int64_t project_id) {
  FW_TRY(projects::Project p, projects_.Get(caller, project_id));
  return Pass(p);
}

Result<json::object> ReportService::Get(const Caller& caller, std::int64_t project_id) {
  FW_TRY(projects::Project p, projects_.Get(caller, project_id));
  FW_TRY(
      std::optional<std::string> body,
      db_.Read<std::optional<std::string>>(
          [&](soci::session& s) -> Result<std::optional<std::string>> {
            std::optional<std::string> b;
            projects_.tenancy()
                .Scope(s, p.org_id)
                .Query("SELECT body FROM quality_reports WHERE org_id = :org AND project_id = :p")
                .Bind(project_id)
                .One(b);
            return b;
          }));
  if (!body) return Pass(p);
  FW_TRY(json::object o, ParseJsonObject(*body, "report"));
  return o;
}

Result<AggregatePage> ReportService::Items(const Caller& caller, std::int64_t project_id,
                                           std::int64_t after, int limit) {
  FW_TRY(projects::Project p, projects_.Get(caller, project_id));
  if (limit < 1 || limit > 1000) {
    return InvalidArgument("limit must be 1..1000", {{"limit", "out_of_range", "must be 1..1000"}});
  }
  return db_.Read<AggregatePage>([&](soci::session& s) -> Result<AggregatePage> {
    AggregatePage page;
    tenancy::LabScope lab = projects_.tenancy().Scope(s, p.org_id);
    // Items, not rows, are paged: find the item id that ends this page first.
    auto ids = lab.Query(
                      "SELECT DISTINCT item_id FROM item_aggregates WHERE org_id = :org AND "
                      "project_id = :p "
                      "AND item_id > :a ORDER BY item_id LIMIT :l")
                   .Bind(project_id)
                   .Bind(after)
                   .Bind(limit + 1)
                   .All<long long>();
    if (ids.empty()) return page;
    bool more = ids.size() > static_cast<std::size_t>(limit);
    long long last = std::get<0>(ids[more ? ids.size() - 2 : ids.size() - 1]);
    auto rows =
        lab.Query(
               "SELECT item_id, question, answer, confidence, judgments FROM item_aggregates "
               "WHERE org_id = :org AND project_id = :p AND item_id > :a AND item_id <= :b "
               "ORDER BY item_id, question")
            .Bind(project_id)
            .Bind(after)
            .Bind(last)
            .All<long long, std::string, std::string, double, int>();
    for (auto& [item, question, answer, confidence, judgments] : rows) {
      ItemAggregate a;
      a.item_id = item;
      a.question = std::move(question);
      FW_TRY(a.answer, ParseJson(answer, "answer"));
      a.confidence = confidence;
      a.judgments = judgments;
      page.aggregates.push_back(std::move(a));
    }
    page.next_after = more ? last : 0;
    return page;
  });
}

// One pass over a project, step by step; Pass() runs the steps in order under the project's
// lock. What the aggregation finds is kept here for the writes and the report that follow it.
class ReportService::PassRun {
 public:
  PassRun(ReportService& service, const projects::Project& project, ProjectState& st)
      : service_(service),
        project_(project),
        st_(st),
        adaptive_q_(projects::AdaptiveQuestion(*project.tmpl)) {}

  Status ReadSubmissions();
  Status ReadSettledItems();
  Status Aggregate();
  Status WriteAggregates();
  Status WriteSettled();
  Status WriteGates();
  Result<json::object> Report() const;
  Status StoreReport(const json::object& report);
  SkillsEstimated Skills() const;

 private:
  Status AddSubmission(long long item_id, long long expert_id, const std::string& sealed,
                       int is_gold, const std::optional<long long>& gold_correct);
  Status AggregateChoice(QuestionData& q, std::vector<PendingAggregate>& pending);
  void GateExperts(const AnswerSet& set, const InferenceResult& stop_model);
  void FindItemsToSettle(const Compact& c, const std::vector<int>& counts,
                         const InferenceResult& stop_model);
  void AddSkills(const AnswerSet& set, const InferenceResult& r);
  json::array QuestionReports() const;
  Result<json::array> ExpertReports() const;
  // The project's lab's rows on `s`.
  tenancy::LabScope Lab(soci::session& s) const {
    return service_.projects_.tenancy().Scope(s, project_.org_id);
  }

  ReportService& service_;
  const projects::Project& project_;
  ProjectState& st_;
  const Question* adaptive_q_;  // in project_.tmpl; null when the template has none
  std::size_t num_items_ = 0;
  std::size_t num_experts_ = 0;
  Findings findings_;
};

Result<json::object> ReportService::Pass(const projects::Project& project) {
  std::shared_ptr<ProjectState> shared = StateFor(project.id);
  ProjectState& st = *shared;
  std::lock_guard pass_lock(st.mu);
  if (st.stale.exchange(false) || st.template_version != project.template_version ||
      st.org_id != project.org_id) {
    st.Reset(*project.tmpl, project.template_version);
    st.org_id = project.org_id;
  }
  PassRun run(*this, project, st);
  FW_TRY_STATUS(run.ReadSubmissions());
  FW_TRY_STATUS(run.ReadSettledItems());
  FW_TRY_STATUS(run.Aggregate());
  FW_TRY_STATUS(run.WriteAggregates());
  FW_TRY_STATUS(run.WriteSettled());
  FW_TRY_STATUS(run.WriteGates());
  FW_TRY(json::object report, run.Report());
  FW_TRY_STATUS(run.StoreReport(report));
  if (SkillsEstimated skills = run.Skills(); !skills.skills.empty()) {
    skills_estimated_.PublishAfterCommit(skills);
  }
  return report;
}

// Reads the submissions committed since the last pass, a page at a time. On SQLite the one
// writer commits in id order, so the cursor simply follows the ids. On PostgreSQL a submission
// whose id is below one already seen may still be in flight; the cursor only advances over rows
// older than kCommitLagSeconds (a write job commits well within that), and rows read beyond it
// are remembered so no row is counted twice or missed.
Status ReportService::PassRun::ReadSubmissions() {
  const std::int64_t lag = service_.db_.dialect() == db::Dialect::kPostgres ? kCommitLagSeconds : 0;
  const std::int64_t horizon = service_.clock_.Now() - lag;
  const int page = service_.options_.read_page;
  using SubmissionRow = std::tuple<long long, long long, long long, std::string, int,
                                   std::optional<long long>, long long>;
  long long read_after = st_.last_submission_id;
  bool contiguous = true;  // every row read so far in this pass lies behind the horizon
  for (;;) {
    FW_TRY(std::vector<SubmissionRow> rows,
           service_.db_.Read<std::vector<SubmissionRow>>(
               [&](soci::session& s) -> Result<std::vector<SubmissionRow>> {
                 return Lab(s)
                     .Query(
                         "SELECT id, item_id, expert_id, answer, is_gold, gold_correct, "
                         "submitted_at FROM submissions WHERE org_id = :org AND project_id = :p "
                         "AND id > :a ORDER BY id LIMIT :l")
                     .Bind(project_.id)
                     .Bind(read_after)
                     .Bind(page)
                     .All<long long, long long, long long, std::string, int,
                          std::optional<long long>, long long>();
               }));
    for (auto& [id, item_id, expert_id, sealed, is_gold, gold_correct, submitted_at] : rows) {
      read_after = id;
      const bool seen = st_.ahead.count(id) > 0;
      contiguous = contiguous && submitted_at <= horizon;
      if (contiguous) {
        st_.last_submission_id = id;
        if (seen) st_.ahead.erase(id);
      } else if (!seen) {
        st_.ahead.insert(id);
      }
      if (seen) continue;
      FW_TRY_STATUS(AddSubmission(item_id, expert_id, sealed, is_gold, gold_correct));
    }
    if (rows.size() < static_cast<std::size_t>(page)) break;
  }
  return {};
}

// Counts one submission for its expert and adds its answer to the dense state. An answer that
// does not parse as an object is counted but adds no judgments.
Status ReportService::PassRun::AddSubmission(long long item_id, long long expert_id,
                                             const std::string& sealed, int is_gold,
                                             const std::optional<long long>& gold_correct) {
  ++st_.submissions;
  std::uint32_t item = st_.Item(item_id, is_gold != 0);
  std::uint32_t expert = st_.Expert(expert_id);
  ++st_.expert_answers[expert];
  if (is_gold && gold_correct) {
    ++st_.expert_gold[expert];
    st_.expert_gold_correct[expert] += *gold_correct != 0 ? 1 : 0;
  }
  FW_TRY(std::string plain, service_.projects_.tenancy().Open(project_.org_id, sealed));
  auto parsed = ParseJson(plain, "answer");
  if (!parsed || !parsed->is_object()) return {};
  st_.Add(item, expert, parsed->as_object());
  return {};
}

// Which items are settled is the store's fact (turning adaptive redundancy off clears it), so it
// is read again on every pass; there are at most as many as items with answers.
Status ReportService::PassRun::ReadSettledItems() {
  std::fill(st_.item_settled.begin(), st_.item_settled.end(), 0);
  if (!project_.adaptive.enabled()) return {};
  FW_TRY(auto settled, service_.db_.Read<std::vector<std::int64_t>>(
                           [&](soci::session& s) -> Result<std::vector<std::int64_t>> {
                             return projects::SettledItems(s, project_.id);
                           }));
  for (std::int64_t id : settled) {
    auto it = st_.item_index.find(id);
    if (it != st_.item_index.end()) st_.item_settled[it->second] = 1;
  }
  return {};
}

// Aggregates each question and collects the aggregates that changed.
Status ReportService::PassRun::Aggregate() {
  num_items_ = st_.items.size();
  num_experts_ = st_.experts.size();
  findings_.skill_sum.assign(num_experts_, 0);
  findings_.skill_weight.assign(num_experts_, 0);
  for (QuestionData& q : st_.questions) {
    q.written.resize(num_items_);
    q.agreement.reset();
    q.agreement_note.clear();
    q.items_aggregated = 0;
    q.mean_confidence = 0;
    std::vector<PendingAggregate> pending;
    if (q.type == QuestionType::kLabel || q.type == QuestionType::kPreference) {
      if (q.answers.empty()) continue;
      FW_TRY_STATUS(AggregateChoice(q, pending));
    } else if (q.type == QuestionType::kRating) {
      if (q.answers.empty()) continue;
      FW_TRY_STATUS(AggregateRating(q, num_items_, num_experts_, pending));
    } else if (q.type == QuestionType::kMultiLabel) {
      if (q.multi.empty()) continue;
      FW_TRY_STATUS(AggregateMultiLabel(q, num_items_, num_experts_, pending));
    }
    if (q.items_aggregated > 0) q.mean_confidence /= static_cast<double>(q.items_aggregated);
    if (!pending.empty()) findings_.changed.emplace_back(q.name, std::move(pending));
  }
  return {};
}

// A label or preference question: Dawid–Skene. The project's adaptive question also decides
// which items settle and, with the gate, which experts are gated.
Status ReportService::PassRun::AggregateChoice(QuestionData& q,
                                               std::vector<PendingAggregate>& pending) {
  Compact c = CompactAnswers(q, num_items_, num_experts_);
  const std::vector<int> counts = JudgmentsPerTask(c);
  const InferenceOptions io{};
  FW_TRY(InferenceResult r, Infer(c.set, Method::kDawidSkene, io));
  const bool settles = adaptive_q_ && adaptive_q_->name == q.name && project_.adaptive.enabled();
  // Settling reads the posterior of the model the thresholds were measured with
  // (kStoppingModelIterations), not the report's converged one.
  std::optional<InferenceResult> stop_model;
  if (settles) {
    InferenceOptions stop_io = io;
    stop_io.max_iterations = kStoppingModelIterations;
    FW_TRY(InferenceResult m, Infer(c.set, Method::kDawidSkene, stop_io));
    stop_model = std::move(m);
    if (project_.adaptive.gate > 0) GateExperts(c.set, *stop_model);
  }
  for (std::size_t t = 0; t < c.task_item.size(); ++t) {
    const std::string& label = q.labels[r.label[t]];
    json::value answer = q.type == QuestionType::kPreference
                             ? json::value(json::object{{"choice", label}})
                         : q.boolean ? json::value(label == "true")
                                     : json::value(label);
    Consider(q, pending, c.task_item[t], ToJson(answer), r.confidence[t], counts[t]);
  }
  if (settles) FindItemsToSettle(c, counts, *stop_model);
  AddSkills(c.set, r);
  SetAgreement(q, KrippendorffAlpha(c.set, AlphaLevel::kNominal));
  return {};
}

void ReportService::PassRun::GateExperts(const AnswerSet& set, const InferenceResult& stop_model) {
  findings_.gate_judgments.assign(num_experts_, 0);
  for (const Answer& a : set.answers) ++findings_.gate_judgments[a.worker];
  findings_.gate_information = WorkerInformation(*stop_model.model);
  findings_.gated = GatedWorkers(*stop_model.model, findings_.gate_judgments,
                                 ExpertGate{.min_information = project_.adaptive.gate});
}

// Items (not gold, not yet settled) whose posterior meets the project's stopping rule.
void ReportService::PassRun::FindItemsToSettle(const Compact& c, const std::vector<int>& counts,
                                               const InferenceResult& stop_model) {
  const StoppingRule rule{project_.adaptive.threshold,
                          static_cast<std::size_t>(std::max(project_.adaptive.min, 1)), 0,
                          project_.adaptive.change};
  const std::size_t num_labels = c.set.labels.size();
  for (std::size_t t = 0; t < c.task_item.size(); ++t) {
    std::uint32_t item = c.task_item[t];
    const std::span<const double> posterior(stop_model.posterior.data() + t * num_labels,
                                            num_labels);
    const StoppingRule::StopContext context{
        stop_model.model->pooled_confusion,
        static_cast<std::size_t>(std::max(project_.redundancy - counts[t], 0))};
    if (!st_.item_gold[item] && !st_.item_settled[item] &&
        rule.ShouldStop(posterior, static_cast<std::size_t>(counts[t]), context)) {
      findings_.settle.push_back(item);
    }
  }
}

void ReportService::PassRun::AddSkills(const AnswerSet& set, const InferenceResult& r) {
  std::vector<double> per_worker(num_experts_, 0);
  for (const Answer& a : set.answers) per_worker[a.worker] += 1;
  for (std::size_t w = 0; w < num_experts_ && w < r.worker_skill.size(); ++w) {
    findings_.skill_sum[w] += r.worker_skill[w] * per_worker[w];
    findings_.skill_weight[w] += per_worker[w];
  }
}

Status ReportService::PassRun::WriteAggregates() {
  const auto batch = static_cast<std::size_t>(service_.options_.write_batch);
  for (auto& [question, pending] : findings_.changed) {
    FW_TRY_STATUS(
        WriteInBatches(service_.db_, pending.size(), batch, [&](soci::session& s, std::size_t i) {
          const PendingAggregate& a = pending[i];
          Lab(s)
              .Query(
                  "INSERT INTO item_aggregates (item_id, question, org_id, project_id, answer, "
                  "confidence, judgments) VALUES (:i, :q, :org, :p, :a, :c, :j) ON CONFLICT "
                  "(item_id, question) DO UPDATE SET answer = excluded.answer, confidence = "
                  "excluded.confidence, judgments = excluded.judgments")
              .Bind(st_.items[a.item])
              .Bind(question)
              .Bind(project_.id)
              .Bind(a.answer)
              .Bind(a.confidence)
              .Bind(a.judgments)
              .Run();
        }));
  }
  return {};
}

Status ReportService::PassRun::WriteSettled() {
  const auto batch = static_cast<std::size_t>(service_.options_.write_batch);
  const std::vector<std::uint32_t>& settle = findings_.settle;
  FW_TRY_STATUS(WriteInBatches(
      service_.db_, settle.size(), batch,
      [&](soci::session& s, std::size_t i) { projects::SettleItem(s, st_.items[settle[i]]); }));
  for (std::uint32_t item : settle) st_.item_settled[item] = 1;
  return {};
}

// The project's expert_gates rows are rewritten when the set changed (or is not known, as after
// a restart); the work loop reads them (work::WorkService::Next).
Status ReportService::PassRun::WriteGates() {
  const std::vector<std::uint8_t>& gated = findings_.gated;
  std::vector<std::int64_t> gate_ids;
  for (std::size_t w = 0; w < gated.size(); ++w) {
    if (gated[w]) gate_ids.push_back(st_.experts[w]);
  }
  if (st_.written_gates && *st_.written_gates == gate_ids) return {};
  FW_TRY_STATUS(service_.db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    // A lab may have patched the gate off since this pass loaded the project; the patch and
    // this job are serialised by the store, so reading the setting here keeps the patch's word.
    double gate_now = 0;
    Lab(s)
        .Query("SELECT adaptive_gate FROM projects WHERE org_id = :org AND id = :p")
        .Bind(project_.id)
        .One(gate_now);
    if (gate_now <= 0) gate_ids.clear();
    std::vector<projects::GatedExpert> rows;
    for (std::size_t w = 0; w < gated.size() && gate_now > 0; ++w) {
      if (!gated[w]) continue;
      rows.push_back({st_.experts[w], findings_.gate_information[w],
                      static_cast<std::int64_t>(findings_.gate_judgments[w])});
    }
    projects::ReplaceGates(s, project_.id, rows);
    return true;
  }));
  st_.written_gates = std::move(gate_ids);
  return {};
}

// The report (docs/api.md, "Quality").
Result<json::object> ReportService::PassRun::Report() const {
  std::int64_t settled_items = 0;
  for (std::uint8_t s : st_.item_settled) settled_items += s;
  FW_TRY(json::array experts, ExpertReports());
  const projects::Adaptive& adaptive = project_.adaptive;
  return json::object{
      {"computed_at", FormatTime(service_.clock_.Now())},
      {"submissions", st_.submissions},
      {"items_with_answers", static_cast<std::int64_t>(num_items_)},
      {"settled_items", settled_items},
      {"adaptive", adaptive.enabled() ? json::value(json::object{
                                            {"threshold", adaptive.threshold},
                                            {"min", adaptive.min},
                                            {"max", project_.redundancy},
                                            {"change", adaptive.change},
                                            {"gate", adaptive.gate},
                                            {"gated_experts",
                                             static_cast<std::int64_t>(st_.written_gates->size())}})
                                      : json::value(nullptr)},
      {"questions", QuestionReports()},
      {"experts", std::move(experts)}};
}

json::array ReportService::PassRun::QuestionReports() const {
  json::array questions;
  for (const QuestionData& q : st_.questions) {
    json::object o{{"name", q.name},
                   {"type", q.parent.empty() ? projects::QuestionTypeName(q.type)
                                             : std::string_view(q.boolean ? "rubric_pass_fail"
                                                                          : "rubric_points")},
                   {"method", MethodFor(q.type)},
                   {"judgments", static_cast<std::int64_t>(q.judgments)},
                   {"items_aggregated", static_cast<std::int64_t>(q.items_aggregated)}};
    if (Aggregated(q.type)) {
      o["mean_confidence"] =
          q.items_aggregated ? json::value(q.mean_confidence) : json::value(nullptr);
      o["agreement"] = {{"metric", q.agreement_metric},
                        {"value", q.agreement ? json::value(*q.agreement) : json::value(nullptr)}};
      if (!q.agreement_note.empty()) o["agreement"].as_object()["note"] = q.agreement_note;
    }
    questions.push_back(std::move(o));
  }
  return questions;
}

Result<json::array> ReportService::PassRun::ExpertReports() const {
  const std::vector<std::uint8_t>& gated = findings_.gated;
  json::array experts;
  for (std::size_t w = 0; w < num_experts_; ++w) {
    FW_TRY(std::string pseudonym, service_.pseudonym_(project_.org_id, st_.experts[w]));
    json::object e{{"expert", pseudonym},
                   {"answers", st_.expert_answers[w]},
                   {"gold_answers", st_.expert_gold[w]}};
    e["gold_accuracy"] = st_.expert_gold[w]
                             ? json::value(static_cast<double>(st_.expert_gold_correct[w]) /
                                           static_cast<double>(st_.expert_gold[w]))
                             : json::value(nullptr);
    e["skill"] = findings_.skill_weight[w] > 0
                     ? json::value(findings_.skill_sum[w] / findings_.skill_weight[w])
                     : json::value(nullptr);
    if (w < gated.size()) {
      e["information"] = findings_.gate_information[w];
      e["gated"] = gated[w] != 0;
    }
    experts.push_back(std::move(e));
  }
  return experts;
}

SkillsEstimated ReportService::PassRun::Skills() const {
  SkillsEstimated out{project_.id, project_.org_id, {}};
  for (std::size_t w = 0; w < num_experts_; ++w) {
    if (findings_.skill_weight[w] <= 0) continue;
    out.skills.push_back({st_.experts[w], findings_.skill_sum[w] / findings_.skill_weight[w],
                          findings_.skill_weight[w]});
  }
  return out;
}

Status ReportService::PassRun::StoreReport(const json::object& report) {
  std::string body = ToJson(report);
  long long now = service_.clock_.Now();
  FW_TRY_STATUS(service_.db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    Lab(s)
        .Query(
            "INSERT INTO quality_reports (project_id, org_id, computed_at, last_submission_id, "
            "submissions, body) "
            "VALUES (:p, :org, :c, :l, :n, :b) ON CONFLICT (project_id) DO UPDATE SET computed_at "
            "= "
            "excluded.computed_at, last_submission_id = excluded.last_submission_id, submissions = "
            "excluded.submissions, body = excluded.body")
        .Bind(project_.id)
        .Bind(now)
        .Bind(st_.last_submission_id)
        .Bind(st_.submissions)
        .Bind(body)
        .Run();
    return true;
  }));
  return {};
}

}  // namespace fw::reports
