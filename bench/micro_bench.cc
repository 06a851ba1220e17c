// fw_micro_bench: Google Benchmark micro-benchmarks of per-request work on the hot path of
// the work loop: answer validation against a template (every submit), the opaque id codec
// (every id in every request and response), and what one SQL statement costs through SOCI
// when it is prepared for every call (as the stores do with `session << "..."`) versus
// prepared once and executed again, and what counting a judgment in its project's progress adds
// to a submit.

#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include "base/json.h"
#include "base/money.h"
#include "db/query.h"
#include "db/testing.h"
#include "pay/ledger.h"
#include "projects/pool.h"
#include "projects/template.h"
#include "security/ids.h"

namespace {

namespace json = boost::json;
using fw::projects::PresetTemplate;
using fw::projects::Template;
using fw::projects::ValidateAnswer;
using fw::security::IdCodec;
using fw::security::IdKind;

void BM_ValidateAnswerClassification(benchmark::State& state) {
  Template t = PresetTemplate("classification").value();
  json::value answer = json::parse(R"({"label":"correct","confidence":4})");
  for (auto _ : state) benchmark::DoNotOptimize(ValidateAnswer(t, answer));
}
BENCHMARK(BM_ValidateAnswerClassification);

void BM_ValidateAnswerRubric(benchmark::State& state) {
  Template t = PresetTemplate("rubric").value();
  json::value answer = json::parse(
      R"({"rubric":{"correctness":true,"reasoning":2,"clarity":1},)"
      R"("comment":"The derivation of $E = mc^2$ skips the Lorentz factor $\\gamma$."})");
  for (auto _ : state) benchmark::DoNotOptimize(ValidateAnswer(t, answer));
}
BENCHMARK(BM_ValidateAnswerRubric);

void BM_ValidateAnswerPreferenceInvalid(benchmark::State& state) {
  Template t = PresetTemplate("preference").value();
  json::value answer = json::parse(R"({"preference":{"choice":"C","strength":9},"extra":1})");
  for (auto _ : state) benchmark::DoNotOptimize(ValidateAnswer(t, answer));
}
BENCHMARK(BM_ValidateAnswerPreferenceInvalid);

// The submit route parses its body and validates; this is that pair for a typical body.
void BM_ParseAndValidateSubmitBody(benchmark::State& state) {
  Template t = PresetTemplate("classification").value();
  const std::string body = R"({"answer":{"label":"correct","confidence":4},"idempotency_key":"lg-1-2-3"})";
  for (auto _ : state) {
    json::value v = json::parse(body);
    benchmark::DoNotOptimize(ValidateAnswer(t, v.as_object().at("answer")));
  }
}
BENCHMARK(BM_ParseAndValidateSubmitBody);

void BM_IdEncode(benchmark::State& state) {
  IdCodec codec("0123456789abcdef");
  std::int64_t id = 1;
  for (auto _ : state) benchmark::DoNotOptimize(codec.Encode(IdKind::kAssignment, id++));
}
BENCHMARK(BM_IdEncode);

void BM_IdDecode(benchmark::State& state) {
  IdCodec codec("0123456789abcdef");
  std::vector<std::string> ids;
  for (std::int64_t i = 1; i <= 1024; ++i) ids.push_back(codec.Encode(IdKind::kAssignment, i * 7919));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(codec.Decode(IdKind::kAssignment, ids[i++ & 1023]));
}
BENCHMARK(BM_IdDecode);

void BM_IdDecodeWrongKind(benchmark::State& state) {
  IdCodec codec("0123456789abcdef");
  std::string id = codec.Encode(IdKind::kProject, 42);
  for (auto _ : state) benchmark::DoNotOptimize(codec.Decode(IdKind::kAssignment, id));
}
BENCHMARK(BM_IdDecodeWrongKind);

// A migrated SQLite database with 1000 experts and their tokens, shared by the SQL benchmarks.
fw::db::Database& SqlFixture() {
  static std::unique_ptr<fw::db::testing::TestDatabase> db = [] {
    std::string skip;
    auto t = fw::db::testing::TestDatabase::Make("sqlite", &skip);
    auto seeded = t->db().Write<bool>([](soci::session& s) -> fw::Result<bool> {
      s << "INSERT INTO orgs (id, name, slug, pseudonym_key, created_at) VALUES (1, 'Lab', 'lab', 'k', 0)";
      for (long long i = 1; i <= 1000; ++i) {
        std::string email = "e" + std::to_string(i) + "@x.example", hash = "hash" + std::to_string(i);
        s << "INSERT INTO users (id, email, name, role, created_at) VALUES (:i, :e, 'n', 'expert', 0)",
            soci::use(i), soci::use(email);
        s << "INSERT INTO tokens (token_hash, user_id, kind, created_at) VALUES (:h, :u, 'api', 0)",
            soci::use(hash), soci::use(i);
        s << "INSERT INTO qualifications (user_id, domain, level, granted_at) VALUES (:u, 'physics', 3, 0)",
            soci::use(i);
      }
      return true;
    });
    if (!seeded) std::abort();
    return t;
  }();
  return db->db();
}

// The query AuthService::Authenticate runs for every request.
constexpr const char* kAuthQuery =
    "SELECT u.id, u.role, u.org_id, "
    "CASE WHEN EXISTS (SELECT 1 FROM qualifications q WHERE q.user_id = u.id AND q.reviewer = 1) THEN 1 ELSE 0 END "
    "FROM tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.token_hash = :h AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now) "
    "AND u.disabled = 0";

void BM_SqlPreparedEveryCall(benchmark::State& state) {
  auto st = SqlFixture().Read<bool>([&](soci::session& s) -> fw::Result<bool> {
    std::string hash = "hash500", role;
    long long now = 1, user = 0, org = 0;
    int reviewer = 0;
    soci::indicator org_ind = soci::i_ok;
    for (auto _ : state) {
      s << kAuthQuery, soci::into(user), soci::into(role), soci::into(org, org_ind), soci::into(reviewer),
          soci::use(hash), soci::use(now);
      benchmark::DoNotOptimize(user);
    }
    return true;
  });
  if (!st) state.SkipWithError("database error");
}
BENCHMARK(BM_SqlPreparedEveryCall);

void BM_SqlPreparedOnce(benchmark::State& state) {
  auto st = SqlFixture().Read<bool>([&](soci::session& s) -> fw::Result<bool> {
    std::string hash = "hash500", role;
    long long now = 1, user = 0, org = 0;
    int reviewer = 0;
    soci::indicator org_ind = soci::i_ok;
    soci::statement q = (s.prepare << kAuthQuery, soci::into(user), soci::into(role), soci::into(org, org_ind),
                         soci::into(reviewer), soci::use(hash), soci::use(now));
    for (auto _ : state) {
      q.execute(true);
      benchmark::DoNotOptimize(user);
    }
    return true;
  });
  if (!st) state.SkipWithError("database error");
}
BENCHMARK(BM_SqlPreparedOnce);

// One whole read transaction as Authenticate runs it: pool checkout, BEGIN, the query, COMMIT.
void BM_SqlReadTransaction(benchmark::State& state) {
  fw::db::Database& db = SqlFixture();
  for (auto _ : state) {
    auto r = db.Read<long long>([](soci::session& s) -> fw::Result<long long> {
      std::string hash = "hash500", role;
      long long now = 1, user = 0, org = 0;
      int reviewer = 0;
      soci::indicator org_ind = soci::i_ok;
      s << kAuthQuery, soci::into(user), soci::into(role), soci::into(org, org_ind), soci::into(reviewer),
          soci::use(hash), soci::use(now);
      return user;
    });
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_SqlReadTransaction);

// An item of a project in SqlFixture's database whose redundancy it never reaches.
long long JudgedItem() {
  static const long long item = [] {
    auto id = SqlFixture().Write<long long>([](soci::session& s) -> fw::Result<long long> {
      long long item = 0;
      s << "INSERT INTO projects (id, org_id, name, template, redundancy, lease_seconds, "
           "created_at, updated_at) VALUES (1, 1, 'p', '{}', 1000000, 600, 0, 0)";
      s << "INSERT INTO items (org_id, project_id, payload, created_at) VALUES (1, 1, '{}', 0) "
           "RETURNING id",
          soci::into(item);
      return item;
    });
    if (!id) std::abort();
    return *id;
  }();
  return item;
}

// What a submit's write transaction does to count one judgment: on the item alone (as before
// progress), and on the item and in the project's progress (projects::RecordJudgment). Each
// runs its iterations in one transaction on the writer thread, so the figures are statements,
// not commits (wall time: the loop is not on the benchmark's thread).
void BM_JudgmentOnTheItem(benchmark::State& state) {
  const long long item = JudgedItem();
  auto st = SqlFixture().Write<bool>([&](soci::session& s) -> fw::Result<bool> {
    for (auto _ : state) {
      fw::db::Query(s, "UPDATE items SET submitted = submitted + 1 WHERE id = :i").Bind(item).Run();
    }
    return true;
  });
  if (!st) state.SkipWithError("database error");
}
BENCHMARK(BM_JudgmentOnTheItem)->UseRealTime();

void BM_JudgmentWithProgress(benchmark::State& state) {
  const long long item = JudgedItem();
  auto st = SqlFixture().Write<bool>([&](soci::session& s) -> fw::Result<bool> {
    for (auto _ : state) fw::projects::RecordJudgment(s, item, 1);
    return true;
  });
  if (!st) state.SkipWithError("database error");
}
BENCHMARK(BM_JudgmentWithProgress)->UseRealTime();

}  // namespace

// Serializing an item as the import stores it (and an API answer): the server's own writer
// (shortest round-trip numbers) against boost::json's serializer, on the same value.
const boost::json::value& ImportedItem() {
  static const boost::json::value v = boost::json::parse(
      R"({"prompt":"Derive the energy levels of a particle in a one-dimensional box of width $L$ and \"explain\" each step.","response_a":"The Schr\u00f6dinger equation inside the box is ...","difficulty":0.7321,"tags":["physics","quantum",3,true,null],"meta":{"source":"olympiad","year":2024,"weight":1.0}})");
  return v;
}

static void BM_SerializeFachwerk(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(fw::ToJson(ImportedItem()));
}
BENCHMARK(BM_SerializeFachwerk);

static void BM_SerializeBoost(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(boost::json::serialize(ImportedItem()));
}
BENCHMARK(BM_SerializeBoost);

// An accepted task's cost and price (base/money.h): two exact 128-bit roundings.
void BM_PayCostAndPrice(benchmark::State& state) {
  std::int64_t seconds = 1000;
  for (auto _ : state) {
    auto cost = fw::CostOfSeconds(12500, seconds);
    auto price = fw::PriceWithMarkup(*cost, 2500);
    benchmark::DoNotOptimize(price);
    seconds = seconds % 7200 + 1;
  }
}
BENCHMARK(BM_PayCostAndPrice);

// What a decision adds to its write transaction: one ledger transaction of three postings
// (the expert's payable, the lab's receivable, the platform's revenue), each balance moved.
void BM_LedgerPostDecision(benchmark::State& state) {
  fw::db::Database& db = SqlFixture();
  fw::FakeClock clock;
  fw::pay::Ledger ledger(clock);
  static long long reference = 0;
  long long expert = 1;
  for (auto _ : state) {
    fw::pay::NewTransaction t;
    t.kind = "decision";
    t.reference = "bench:" + std::to_string(++reference);
    t.currency = "USD";
    t.outcome = "accepted";
    t.org_id = 1;
    t.expert_id = expert;
    t.postings = {{{fw::pay::AccountKind::kExpertPayable, expert}, -2778},
                  {{fw::pay::AccountKind::kLabReceivable, 1}, 3473},
                  {{fw::pay::AccountKind::kPlatformRevenue, 0}, -695}};
    auto r = db.Write<fw::pay::PostResult>(
        [&](soci::session& s) { return ledger.Post(s, t); });
    if (!r) state.SkipWithError("database error");
    expert = expert % 1000 + 1;
  }
}
BENCHMARK(BM_LedgerPostDecision);

BENCHMARK_MAIN();
