#include "delivery/export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include "base/json.h"
#include "db/query.h"
#include "db/testing.h"
#include "delivery/routes.h"
#include "http/router.h"

namespace fw::delivery {
namespace {

namespace json = boost::json;
using projects::NewProject;
using projects::Project;
using projects::ProjectService;
using security::IdKind;

// A codec whose stored form differs from the plaintext, so a read that bypasses the codec
// shows up as a broken line.
class PrefixCodec final : public security::PayloadCodec {
 public:
  std::string Seal(std::int64_t, std::string_view plaintext) const override {
    return "v1:" + std::string(plaintext);
  }
  Result<std::string> Open(std::int64_t, std::string_view stored) const override {
    if (stored.substr(0, 3) != "v1:") return Internal("not sealed");
    return std::string(stored.substr(3));
  }
};

// Inserts a lab and returns a caller who is its member.
Caller MakeLab(db::Database& db, const std::string& slug) {
  auto ids = db.Write<std::pair<long long, long long>>(
      [&](soci::session& s) -> Result<std::pair<long long, long long>> {
        long long id = 0;
        s << "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, 'k', 1) "
             "RETURNING id",
            soci::use(slug), soci::use(slug), soci::into(id);
        std::string email = slug + "@example.com";
        long long uid = 0;
        s << "INSERT INTO users (email, name, role, org_id, created_at) "
             "VALUES (:e, 'n', 'member', :o, 1) RETURNING id",
            soci::use(email), soci::use(id), soci::into(uid);
        return std::make_pair(id, uid);
      });
  EXPECT_TRUE(ids) << ids.error().message;
  Caller c;
  c.role = Role::kLabMember;
  c.org_id = ids->first;
  c.user_id = ids->second;
  return c;
}

long long MakeExpert(db::Database& db, const std::string& email) {
  auto id = db.Write<long long>([&](soci::session& s) -> Result<long long> {
    long long id = 0;
    s << "INSERT INTO users (email, name, role, created_at) VALUES (:e, 'x', 'expert', 1) "
         "RETURNING id",
        soci::use(email), soci::into(id);
    return id;
  });
  EXPECT_TRUE(id) << id.error().message;
  return *id;
}

projects::ByteSource FromString(std::string text) {
  auto data = std::make_shared<std::string>(std::move(text));
  auto pos = std::make_shared<std::size_t>(0);
  return [data, pos](char* buf, std::size_t n) -> Result<std::size_t> {
    std::size_t k = std::min(n, data->size() - *pos);
    std::memcpy(buf, data->data() + *pos, k);
    *pos += k;
    return k;
  };
}

struct Sub {
  long long item_id = 0;
  long long expert_id = 0;
  std::string answer;  // JSON text
  int template_version = 1;
  bool gold = false;
  long long active_seconds = 30;
  long long leased_at = 1'700'000'000;
  long long submitted_at = 1'700'000'100;
};

// Everything one producer returned: the parsed lines and the lines per call.
struct Drained {
  std::vector<json::object> lines;
  std::vector<std::size_t> lines_per_call;
};

class ExportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    tdb_ = db::testing::TestDatabase::Make(GetParam(), &why);
    if (!tdb_) GTEST_SKIP() << why;
    projects::ProjectOptions o;
    std::filesystem::path base =
        tdb_->dir().empty() ? std::filesystem::temp_directory_path() : tdb_->dir();
    o.spool_dir = (base / "fw_delivery_spool").string();
    projects_ = std::make_unique<ProjectService>(tdb_->db(), clock_, tenancy_, o);
    exports_ = std::make_unique<ExportService>(
        tdb_->db(), *projects_, ids_,
        [this](std::int64_t org, std::int64_t expert) -> Result<std::string> {
          ++pseudonym_calls_;
          if (expert == failing_expert_) return Fail(ErrorCode::kUnavailable, "no pseudonym");
          return "anon-" + std::to_string(org) + "-" + std::to_string(expert);
        });
    lab_ = MakeLab(db(), "lab-a");
    other_ = MakeLab(db(), "lab-b");
    expert_ = MakeExpert(db(), "e1@example.com");
    expert2_ = MakeExpert(db(), "e2@example.com");
  }

  db::Database& db() { return tdb_->db(); }

  Project MakeProject(const std::string& preset, const Caller& lab) {
    NewProject np;
    np.name = "p";
    np.preset = preset;
    auto p = projects_->Create(lab, np);
    EXPECT_TRUE(p) << p.error().message;
    return *p;
  }
  Project MakeProject(const std::string& preset) { return MakeProject(preset, lab_); }

  Project MakeTemplateProject(std::string_view tmpl) {
    NewProject np;
    np.name = "custom";
    np.tmpl = json::parse(tmpl);
    auto p = projects_->Create(lab_, np);
    EXPECT_TRUE(p) << p.error().message;
    return *p;
  }

  // Imports one JSONL line per entry and returns the new items' ids in order.
  std::vector<long long> Import(const Project& p, const std::vector<std::string>& lines,
                                const Caller* lab = nullptr) {
    const Caller& who = lab ? *lab : lab_;
    std::string body;
    for (const auto& l : lines) body += l + "\n";
    auto before = AllItemIds(p, who);
    auto sum = projects_->Import(who, p.id, FromString(body));
    EXPECT_TRUE(sum) << sum.error().message;
    auto after = AllItemIds(p, who);
    return std::vector<long long>(after.begin() + static_cast<std::ptrdiff_t>(before.size()),
                                  after.end());
  }

  std::vector<long long> AllItemIds(const Project& p, const Caller& lab) {
    std::vector<long long> out;
    std::int64_t after = 0;
    do {
      auto page = projects_->ListItems(lab, p.id, 1000, after);
      EXPECT_TRUE(page);
      if (!page) break;
      for (const auto& it : page->items) out.push_back(it.id);
      after = page->next_after;
    } while (after != 0);
    return out;
  }

  // Writes assignments and submissions the way the work room does; returns submission ids.
  std::vector<long long> Insert(const Project& p, const std::vector<Sub>& subs) {
    auto r =
        db().Write<std::vector<long long>>([&](soci::session& s) -> Result<std::vector<long long>> {
          std::vector<long long> out;
          long long org = p.org_id, pid = p.id;
          for (const Sub& sub : subs) {
            long long aid = 0, sid = 0;
            int gold = sub.gold ? 1 : 0;
            long long expires = sub.leased_at + 1800;
            s << "INSERT INTO assignments (org_id, project_id, item_id, expert_id, is_gold, state, "
                 "leased_at, lease_expires_at, last_heartbeat_at, active_seconds, finished_at) "
                 "VALUES (:o, :p, :i, :e, :g, 'submitted', :l, :x, :h, :a, :f) RETURNING id",
                soci::use(org), soci::use(pid), soci::use(sub.item_id), soci::use(sub.expert_id),
                soci::use(gold), soci::use(sub.leased_at), soci::use(expires),
                soci::use(sub.submitted_at), soci::use(sub.active_seconds),
                soci::use(sub.submitted_at), soci::into(aid);
            std::string key = "key-" + std::to_string(aid);
            std::string sealed = codec_.Seal(org, sub.answer);
            s << "INSERT INTO submissions (org_id, project_id, item_id, assignment_id, expert_id, "
                 "idempotency_key, answer, template_version, active_seconds, leased_at, "
                 "submitted_at, is_gold) VALUES (:o, :p, :i, :a, :e, :k, :an, :v, :s, :l, :t, :g) "
                 "RETURNING id",
                soci::use(org), soci::use(pid), soci::use(sub.item_id), soci::use(aid),
                soci::use(sub.expert_id), soci::use(key), soci::use(sealed),
                soci::use(sub.template_version), soci::use(sub.active_seconds),
                soci::use(sub.leased_at), soci::use(sub.submitted_at), soci::use(gold),
                soci::into(sid);
            out.push_back(sid);
          }
          return out;
        });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<long long>{};
  }

  Drained Drain(http::StreamProducer& producer) {
    Drained d;
    std::string out;
    for (int calls = 0; calls < 100000; ++calls) {
      out.clear();
      auto more = producer(out);
      EXPECT_TRUE(more) << more.error().message;
      if (!more) break;
      std::size_t n = 0, start = 0;
      while (start < out.size()) {
        std::size_t nl = out.find('\n', start);
        EXPECT_NE(nl, std::string::npos) << "every line ends with a newline";
        if (nl == std::string::npos) break;
        auto v = ParseJsonObject(std::string_view(out).substr(start, nl - start), "line");
        EXPECT_TRUE(v) << out.substr(start, nl - start);
        if (v) d.lines.push_back(std::move(*v));
        ++n;
        start = nl + 1;
      }
      d.lines_per_call.push_back(n);
      if (!*more) break;
    }
    return d;
  }

  Drained Export(const Project& p, ExportFormat format) {
    auto producer = exports_->Export(lab_, p.id, format);
    EXPECT_TRUE(producer) << producer.error().message;
    if (!producer) return {};
    return Drain(*producer);
  }

  FakeClock clock_;
  PrefixCodec codec_;
  tenancy::Tenancy tenancy_{codec_};
  security::IdCodec ids_{"0123456789abcdef"};
  std::unique_ptr<db::testing::TestDatabase> tdb_;
  std::unique_ptr<ProjectService> projects_;
  std::unique_ptr<ExportService> exports_;
  int pseudonym_calls_ = 0;
  long long failing_expert_ = -1;
  Caller lab_, other_;
  long long expert_ = 0, expert2_ = 0;
};

json::value J(std::string_view text) { return json::parse(text); }

// A JSON string's text, or a marker that fails any comparison with a real value.
std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : "<not a string: " + json::serialize(v) + ">";
}

TEST_P(ExportTest, AcceptedOnlyKeepsTheSubmissionsReviewAccepted) {
  Project p = MakeProject("sft");
  auto items = Import(p, {R"({"prompt":"one"})", R"({"prompt":"two"})", R"({"prompt":"three"})"});
  ASSERT_EQ(items.size(), 3u);
  auto sids = Insert(p, {Sub{items[0], expert_, R"({"response":"a"})"},
                         Sub{items[1], expert_, R"({"response":"b"})"},
                         Sub{items[2], expert_, R"({"response":"c"})"}});
  ASSERT_EQ(sids.size(), 3u);
  // The review room's acceptances: the first accepted, the second rejected, the third pending.
  auto r = db().Write<bool>([&](soci::session& s) -> Result<bool> {
    const char* statuses[] = {"accepted", "rejected", "pending"};
    for (int i = 0; i < 3; ++i) {
      long long sid = sids[i], org = p.org_id, pid = p.id, item = items[i], e = expert_;
      std::string status = statuses[i];
      long long aid = 0;
      s << "SELECT assignment_id FROM submissions WHERE id = :s", soci::use(sid), soci::into(aid);
      s << "INSERT INTO acceptances (submission_id, org_id, project_id, assignment_id, item_id, "
           "expert_id, status, active_seconds, submitted_at) VALUES (:s, :o, :p, :a, :i, :e, :st, "
           "0, 0)",
          soci::use(sid), soci::use(org), soci::use(pid), soci::use(aid), soci::use(item),
          soci::use(e), soci::use(status);
    }
    return true;
  });
  ASSERT_TRUE(r) << r.error().message;
  for (ExportFormat format : {ExportFormat::kRaw, ExportFormat::kSft}) {
    auto producer = exports_->Export(lab_, p.id, format, true);
    ASSERT_TRUE(producer) << producer.error().message;
    Drained d = Drain(*producer);
    ASSERT_EQ(d.lines.size(), 1u) << ExportFormatName(format);
    if (format == ExportFormat::kRaw) {
      EXPECT_EQ(S(d.lines[0].at("submission_id")), ids_.Encode(IdKind::kSubmission, sids[0]));
    }
  }
  EXPECT_EQ(Export(p, ExportFormat::kRaw).lines.size(), 3u);
}

TEST_P(ExportTest, RawLinesCarryTheReviewWithoutTheReviewer) {
  Project p = MakeProject("sft");
  auto items = Import(p, {R"({"prompt":"one"})", R"({"prompt":"two"})"});
  ASSERT_EQ(items.size(), 2u);
  auto sids = Insert(p, {Sub{items[0], expert_, R"({"response":"a"})"},
                         Sub{items[1], expert_, R"({"response":"b"})"}});
  ASSERT_EQ(sids.size(), 2u);
  // The first submission was reworked once and then rejected by expert2_ with scores; a second
  // opinion with other scores decides nothing. The second is pending.
  const std::string scores = tenancy_.Seal(p.org_id, R"({"clarity":2})");
  const std::string other_scores = tenancy_.Seal(p.org_id, R"({"clarity":5})");
  auto r = db().Write<bool>([&](soci::session& s) -> Result<bool> {
    for (int i = 0; i < 2; ++i) {
      long long sid = sids[i], org = p.org_id, pid = p.id, item = items[i], e = expert_;
      long long aid = 0;
      s << "SELECT assignment_id FROM submissions WHERE id = :s", soci::use(sid), soci::into(aid);
      std::string status = i == 0 ? "rejected" : "pending";
      std::optional<std::string> outcome, reason;
      if (i == 0) {
        outcome = "rejected_quality";
        reason = "quality";
      }
      std::string comment = i == 0 ? "Too short." : "";
      int round = i == 0 ? 2 : 1;
      db::Query(s,
                "INSERT INTO acceptances (submission_id, org_id, project_id, assignment_id, "
                "item_id, expert_id, status, outcome, reason, comment, round, active_seconds, "
                "submitted_at) VALUES (:s, :o, :p, :a, :i, :e, :st, :oc, :r, :c, :rd, 0, 0)")
          .Bind(sid)
          .Bind(org)
          .Bind(pid)
          .Bind(aid)
          .Bind(item)
          .Bind(e)
          .Bind(status)
          .Bind(outcome)
          .Bind(reason)
          .Bind(comment)
          .Bind(round)
          .Run();
    }
    long long sid = sids[0], org = p.org_id, pid = p.id, reviewer = expert2_, other = lab_.user_id;
    s << "INSERT INTO reviews (submission_id, org_id, project_id, reviewer_id, round, state, "
         "claimed_at, claim_expires_at, outcome, comment, decided_at) VALUES (:s, :o, :p, :r, 1, "
         "'decided', 0, 0, 'rework', 'Add a step.', 1)",
        soci::use(sid), soci::use(org), soci::use(pid), soci::use(reviewer);
    s << "INSERT INTO reviews (submission_id, org_id, project_id, reviewer_id, round, state, "
         "claimed_at, claim_expires_at, outcome, reason, comment, scores, decided_at) VALUES (:s, "
         ":o, :p, :r, 2, 'decided', 0, 0, 'reject', 'quality', 'Too short.', :sc, 2)",
        soci::use(sid), soci::use(org), soci::use(pid), soci::use(reviewer), soci::use(scores);
    s << "INSERT INTO reviews (submission_id, org_id, project_id, reviewer_id, round, "
         "second_opinion, state, claimed_at, claim_expires_at, outcome, comment, scores, "
         "decided_at) VALUES (:s, :o, :p, :r, 2, 1, 'decided', 0, 0, 'accept', '', :sc, 3)",
        soci::use(sid), soci::use(org), soci::use(pid), soci::use(other), soci::use(other_scores);
    return true;
  });
  ASSERT_TRUE(r) << r.error().message;

  Drained d = Export(p, ExportFormat::kRaw);
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(d.lines[0].at("review"),
            J(R"({"status":"rejected","outcome":"rejected_quality","reason":"quality",
                  "comment":"Too short.","round":2,"scores":{"clarity":2}})"));
  EXPECT_EQ(d.lines[1].at("review"),
            J(R"({"status":"pending","outcome":null,"reason":null,"comment":null,"round":1,
                  "scores":null})"));
  auto one = exports_->ItemSubmissions(lab_, p.id, items[0]);
  ASSERT_TRUE(one) << one.error().message;
  json::value body = json::parse(*one);
  ASSERT_EQ(body.at("submissions").as_array().size(), 1u);
  EXPECT_EQ(body.at("submissions").at(0).at("review"), d.lines[0].at("review"));
  // Nothing names the reviewer.
  EXPECT_EQ(one->find("reviewer"), std::string::npos);
}

TEST_P(ExportTest, RawExportHasEveryFieldAndThePseudonym) {
  Project p = MakeProject("sft");
  auto items =
      Import(p, {R"({"data":{"prompt":"What is $x^2$?","system":"Be terse."},"external_id":"q-1"})",
                 R"({"prompt":"Second \"quoted\" prompt"})"});
  ASSERT_EQ(items.size(), 2u);
  Sub a{items[0], expert_, R"({"response":"It is x squared."})"};
  a.active_seconds = 42;
  a.leased_at = 1'700'000'000;
  a.submitted_at = 1'700'000'500;
  Sub b{items[1], expert_, R"({"response":"Line one\nline two"})"};
  b.gold = true;
  Sub c{items[1], expert2_, R"({"response":"other"})"};
  auto sids = Insert(p, {a, b, c});

  Drained d = Export(p, ExportFormat::kRaw);
  ASSERT_EQ(d.lines.size(), 3u);
  const json::object& l = d.lines[0];
  EXPECT_EQ(l.size(), 13u);
  EXPECT_EQ(l.at("aggregate"), json::object());
  EXPECT_TRUE(l.at("review").is_null());
  EXPECT_EQ(S(l.at("submission_id")), ids_.Encode(IdKind::kSubmission, sids[0]));
  EXPECT_EQ(S(l.at("item_id")), ids_.Encode(IdKind::kItem, items[0]));
  EXPECT_EQ(l.at("external_id"), "q-1");
  EXPECT_EQ(l.at("data"), J(R"({"prompt":"What is $x^2$?","system":"Be terse."})"));
  EXPECT_EQ(l.at("answer"), J(R"({"response":"It is x squared."})"));
  EXPECT_EQ(l.at("template_version"), 1);
  EXPECT_EQ(S(l.at("expert")),
            "anon-" + std::to_string(lab_.org_id) + "-" + std::to_string(expert_));
  EXPECT_EQ(l.at("active_seconds"), 42);
  EXPECT_EQ(l.at("leased_at"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(S(l.at("submitted_at")), FormatTime(1'700'000'500));
  EXPECT_EQ(l.at("is_gold"), false);

  EXPECT_TRUE(d.lines[1].at("external_id").is_null());
  EXPECT_EQ(d.lines[1].at("data"), J(R"({"prompt":"Second \"quoted\" prompt"})"));
  EXPECT_EQ(d.lines[1].at("answer").at("response"), "Line one\nline two");
  EXPECT_EQ(d.lines[1].at("is_gold"), true);
  EXPECT_EQ(S(d.lines[2].at("expert")),
            "anon-" + std::to_string(lab_.org_id) + "-" + std::to_string(expert2_));
  EXPECT_EQ(pseudonym_calls_, 2) << "one pseudonym lookup per expert, not per line";
}

TEST_P(ExportTest, RawExportCarriesTheItemsAggregatedAnswers) {
  Project p = MakeProject("sft");
  auto items = Import(p, {R"({"prompt":"a"})", R"({"prompt":"b"})"});
  Sub a{items[0], expert_, R"({"response":"x"})"};
  Sub b{items[1], expert_, R"({"response":"y"})"};
  Insert(p, {a, b});
  long long org = lab_.org_id, pid = p.id, item = items[0];
  ASSERT_TRUE(tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
    s << "INSERT INTO item_aggregates (item_id, question, org_id, project_id, answer, confidence, "
         "judgments) "
         "VALUES (:i, 'label', :o, :p, '\"correct\"', 0.875, 3)",
        soci::use(item), soci::use(org), soci::use(pid);
    return true;
  }));
  Drained d = Export(p, ExportFormat::kRaw);
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(d.lines[0].at("aggregate"),
            J(R"({"label":{"answer":"correct","confidence":0.875,"judgments":3}})"));
  EXPECT_EQ(d.lines[1].at("aggregate"), json::object());
}

TEST_P(ExportTest, RawExportOfAnEmptyProjectIsEmpty) {
  Project p = MakeProject("sft");
  Drained d = Export(p, ExportFormat::kRaw);
  EXPECT_TRUE(d.lines.empty());
  EXPECT_EQ(d.lines_per_call.size(), 1u);
}

TEST_P(ExportTest, RawExportShowsNoOtherProjectOrLab) {
  Project p = MakeProject("sft");
  Project q = MakeProject("sft");
  Project foreign = MakeProject("sft", other_);
  auto pi = Import(p, {R"({"prompt":"mine"})"});
  auto qi = Import(q, {R"({"prompt":"other project"})"});
  auto fi = Import(foreign, {R"({"prompt":"other lab"})"}, &other_);
  Insert(q, {{qi[0], expert_, R"({"response":"q"})"}});
  Insert(foreign, {{fi[0], expert_, R"({"response":"f"})"}});
  Insert(p, {{pi[0], expert_, R"({"response":"p"})"}});
  Drained d = Export(p, ExportFormat::kRaw);
  ASSERT_EQ(d.lines.size(), 1u);
  EXPECT_EQ(d.lines[0].at("answer").at("response"), "p");
}

TEST_P(ExportTest, SftExportWithAndWithoutSystemPrompt) {
  Project p = MakeProject("sft");
  auto items = Import(p, {R"({"prompt":"P1","system":"S1"})", R"({"prompt":"P2"})",
                          R"({"prompt":"P3","system":""})", R"({"prompt":"P4"})"});
  Sub gold{items[3], expert_, R"({"response":"gold answer"})"};
  gold.gold = true;
  Insert(p, {{items[0], expert_, R"({"response":"R1"})"},
             {items[1], expert_, R"({"response":"R2 with \"quotes\"\nand a line"})"},
             {items[2], expert_, R"({"response":"R3"})"},
             gold,
             {items[3], expert2_, R"({"response":""})"}});
  Drained d = Export(p, ExportFormat::kSft);
  ASSERT_EQ(d.lines.size(), 3u) << "gold and empty responses are left out";
  EXPECT_EQ(json::value(d.lines[0]), J(R"({"messages":[{"role":"system","content":"S1"},
      {"role":"user","content":"P1"},{"role":"assistant","content":"R1"}]})"));
  EXPECT_EQ(json::value(d.lines[1]), J(R"({"messages":[{"role":"user","content":"P2"},
      {"role":"assistant","content":"R2 with \"quotes\"\nand a line"}]})"));
  EXPECT_EQ(json::value(d.lines[2]), J(R"({"messages":[{"role":"user","content":"P3"},
      {"role":"assistant","content":"R3"}]})"));
}

TEST_P(ExportTest, SftForAdversarialTakesThePromptFromTheAnswer) {
  Project p = MakeProject("adversarial");
  auto items = Import(p, {R"({"topic":"Number theory"})"});
  Insert(p, {{items[0], expert_,
              R"({"question":"Is 2^61-1 prime?","reference_answer":"Yes","solution":"Mersenne."})"},
             {items[0], expert2_, R"({"question":"","reference_answer":"x","solution":"y"})"}});
  Drained d = Export(p, ExportFormat::kSft);
  ASSERT_EQ(d.lines.size(), 1u) << "an empty question is no prompt";
  EXPECT_EQ(json::value(d.lines[0]), J(R"({"messages":[{"role":"user","content":"Is 2^61-1 prime?"},
      {"role":"assistant","content":"Yes"}]})"));
}

constexpr std::string_view kChatTemplate = R"({
  "fields": [{"name": "conversation", "type": "chat"},
             {"name": "system", "type": "text", "required": false}],
  "questions": [{"name": "response", "type": "text"}],
  "export": {"sft": {"prompt_field": "conversation", "response_question": "response",
                     "system_field": "system"}}
})";

TEST_P(ExportTest, SftWithAChatPromptExportsTheConversation) {
  Project p = MakeTemplateProject(kChatTemplate);
  auto items = Import(
      p,
      {R"({"conversation":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},)"
       R"({"role":"user","content":"Integrate x dx"}],"system":"Be exact."})",
       R"({"conversation":[{"role":"system","content":"Own system"},{"role":"user","content":"Q"}],)"
       R"("system":"Ignored"})"});
  ASSERT_EQ(items.size(), 2u);
  Insert(p, {{items[0], expert_, R"({"response":"x^2/2 + C"})"},
             {items[1], expert_, R"({"response":"A"})"}});
  Drained d = Export(p, ExportFormat::kSft);
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(json::value(d.lines[0]), J(R"({"messages":[{"role":"system","content":"Be exact."},
      {"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},
      {"role":"user","content":"Integrate x dx"},{"role":"assistant","content":"x^2/2 + C"}]})"));
  EXPECT_EQ(json::value(d.lines[1]), J(R"({"messages":[{"role":"system","content":"Own system"},
      {"role":"user","content":"Q"},{"role":"assistant","content":"A"}]})"));
}

TEST_P(ExportTest, SftUsesTheMappingOfTheVersionTheSubmissionAnswered) {
  Project p = MakeTemplateProject(R"({
    "fields": [{"name": "old_prompt", "type": "text", "required": false},
               {"name": "new_prompt", "type": "text", "required": false}],
    "questions": [{"name": "old_answer", "type": "text", "required": false}],
    "export": {"sft": {"prompt_field": "old_prompt", "response_question": "old_answer"}}})");
  auto items = Import(p, {R"({"old_prompt":"OP","new_prompt":"NP"})"});
  projects::ProjectPatch patch;
  patch.tmpl = json::parse(R"({
    "fields": [{"name": "old_prompt", "type": "text", "required": false},
               {"name": "new_prompt", "type": "text", "required": false}],
    "questions": [{"name": "new_answer", "type": "text", "required": false}],
    "export": {"sft": {"prompt_field": "new_prompt", "response_question": "new_answer"}}})");
  ASSERT_TRUE(projects_->Update(lab_, p.id, patch));
  Sub v1{items[0], expert_, R"({"old_answer":"OA"})"};
  Sub v2{items[0], expert2_, R"({"new_answer":"NA"})"};
  v2.template_version = 2;
  Insert(p, {v1, v2});
  Drained d = Export(p, ExportFormat::kSft);
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(json::value(d.lines[0]), J(R"({"messages":[{"role":"user","content":"OP"},
      {"role":"assistant","content":"OA"}]})"));
  EXPECT_EQ(json::value(d.lines[1]), J(R"({"messages":[{"role":"user","content":"NP"},
      {"role":"assistant","content":"NA"}]})"));
}

TEST_P(ExportTest, SftFallsBackToTheCurrentMappingWhenTheAnsweredVersionHasNone) {
  Project p = MakeTemplateProject(R"({
    "fields": [{"name": "prompt", "type": "text"}],
    "questions": [{"name": "response", "type": "text"}]})");
  auto items = Import(p, {R"({"prompt":"P"})"});
  projects::ProjectPatch patch;
  patch.tmpl = json::parse(R"({
    "fields": [{"name": "prompt", "type": "text"}],
    "questions": [{"name": "response", "type": "text"}],
    "export": {"sft": {"prompt_field": "prompt", "response_question": "response"}}})");
  ASSERT_TRUE(projects_->Update(lab_, p.id, patch));
  Insert(p, {{items[0], expert_, R"({"response":"R"})"}});  // answered version 1
  Drained d = Export(p, ExportFormat::kSft);
  ASSERT_EQ(d.lines.size(), 1u);
  EXPECT_EQ(json::value(d.lines[0]), J(R"({"messages":[{"role":"user","content":"P"},
      {"role":"assistant","content":"R"}]})"));
}

TEST_P(ExportTest, PreferencePicksChosenAndRejectedAndDropsTies) {
  Project p = MakeProject("preference");
  auto items = Import(p, {R"({"prompt":"Q1","response_a":"good A","response_b":"bad B"})",
                          R"({"prompt":"Q2","response_a":"bad A","response_b":"good B"})",
                          R"({"prompt":"Q3","response_a":"same","response_b":"same"})"});
  Sub gold{items[0], expert2_, R"({"preference":{"choice":"B","strength":1}})"};
  gold.gold = true;
  Insert(p, {{items[0], expert_, R"({"preference":{"choice":"A","strength":2},"rationale":"x"})"},
             {items[1], expert_, R"({"preference":{"choice":"B","strength":3}})"},
             {items[2], expert_, R"({"preference":{"choice":"tie"}})"},
             gold});
  Drained d = Export(p, ExportFormat::kPreference);
  ASSERT_EQ(d.lines.size(), 2u);
  json::object want0{{"prompt", "Q1"},
                     {"chosen", "good A"},
                     {"rejected", "bad B"},
                     {"strength", 2},
                     {"item_id", ids_.Encode(IdKind::kItem, items[0])},
                     {"aggregate", json::object()}};
  json::object want1{{"prompt", "Q2"},
                     {"chosen", "good B"},
                     {"rejected", "bad A"},
                     {"strength", 3},
                     {"item_id", ids_.Encode(IdKind::kItem, items[1])},
                     {"aggregate", json::object()}};
  EXPECT_EQ(d.lines[0], want0);
  EXPECT_EQ(d.lines[1], want1);
}

TEST_P(ExportTest, AnotherLabGetsNotFound) {
  Project p = MakeProject("sft");
  for (ExportFormat f : {ExportFormat::kRaw, ExportFormat::kSft}) {
    auto r = exports_->Export(other_, p.id, f);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  }
  auto missing = exports_->Export(lab_, p.id + 1000, ExportFormat::kRaw);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(ExportTest, AFormatWithoutMappingIsInvalidArgument) {
  Project classification = MakeProject("classification");
  auto r = exports_->Export(lab_, classification.id, ExportFormat::kSft);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "no_mapping");
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].field, "format");
  EXPECT_EQ(r.error().details[0].code, "no_mapping");

  Project sft = MakeProject("sft");
  auto pref = exports_->Export(lab_, sft.id, ExportFormat::kPreference);
  ASSERT_FALSE(pref);
  EXPECT_EQ(pref.error().details.at(0).code, "no_mapping");
  EXPECT_TRUE(exports_->Export(lab_, classification.id, ExportFormat::kRaw));
}

TEST_P(ExportTest, MultiPageExportReturnsEveryLineOnceInOrder) {
  Project p = MakeProject("sft");
  std::vector<std::string> lines;
  for (int i = 0; i < 500; ++i) lines.push_back(R"({"prompt":"P)" + std::to_string(i) + R"("})");
  auto items = Import(p, lines);
  ASSERT_EQ(items.size(), 500u);
  std::vector<long long> experts{expert_, expert2_};
  for (int e = 0; e < 3; ++e) experts.push_back(MakeExpert(db(), "m" + std::to_string(e) + "@x"));
  std::vector<Sub> subs;
  for (long long item : items) {
    for (long long e : experts) {
      subs.push_back({item, e, R"({"response":"R)" + std::to_string(subs.size()) + R"("})"});
    }
  }
  auto sids = Insert(p, subs);
  ASSERT_EQ(sids.size(), 2500u);

  Drained d = Export(p, ExportFormat::kRaw);
  ASSERT_EQ(d.lines.size(), 2500u);
  EXPECT_EQ(d.lines_per_call, (std::vector<std::size_t>{1000, 1000, 500}));
  for (std::size_t i = 0; i < sids.size(); ++i) {
    ASSERT_EQ(S(d.lines[i].at("submission_id")), ids_.Encode(IdKind::kSubmission, sids[i])) << i;
    ASSERT_EQ(S(d.lines[i].at("answer").at("response")), "R" + std::to_string(i));
  }
  EXPECT_EQ(pseudonym_calls_, 5);

  Drained sft = Export(p, ExportFormat::kSft);
  ASSERT_EQ(sft.lines.size(), 2500u);
  std::set<std::string> responses;
  for (const auto& l : sft.lines) {
    responses.insert(std::string(l.at("messages").as_array().back().at("content").as_string()));
  }
  EXPECT_EQ(responses.size(), 2500u);
}

TEST_P(ExportTest, AProducerIsDoneAfterItsLastPage) {
  Project p = MakeProject("sft");
  auto items = Import(p, {R"({"prompt":"P"})"});
  Insert(p, {{items[0], expert_, R"({"response":"R"})"}});
  auto producer = exports_->Export(lab_, p.id, ExportFormat::kRaw);
  ASSERT_TRUE(producer);
  std::string out;
  auto first = (*producer)(out);
  ASSERT_TRUE(first);
  EXPECT_FALSE(*first);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  out.clear();
  auto again = (*producer)(out);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_TRUE(out.empty());
}

TEST_P(ExportTest, APseudonymErrorEndsTheExport) {
  Project p = MakeProject("sft");
  auto items = Import(p, {R"({"prompt":"P"})"});
  Insert(p, {{items[0], expert_, R"({"response":"R"})"}});
  failing_expert_ = expert_;
  auto producer = exports_->Export(lab_, p.id, ExportFormat::kRaw);
  ASSERT_TRUE(producer);
  std::string out;
  auto r = (*producer)(out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  auto again = (*producer)(out);
  ASSERT_FALSE(again) << "a failed export does not pretend to be complete";
}

TEST_P(ExportTest, ACorruptStoredAnswerIsAnInternalError) {
  Project p = MakeProject("sft");
  auto items = Import(p, {R"({"prompt":"P"})"});
  Insert(p, {{items[0], expert_, "{not json"}});
  auto producer = exports_->Export(lab_, p.id, ExportFormat::kSft);
  ASSERT_TRUE(producer);
  std::string out;
  auto r = (*producer)(out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

// ---- routes ----

class LabAuth : public http::Authenticator {
 public:
  std::map<std::string, Caller> callers;
  Result<Caller> Authenticate(std::string_view token) override {
    auto it = callers.find(std::string(token));
    if (it == callers.end()) return Fail(ErrorCode::kUnauthenticated, "bad token");
    return it->second;
  }
};

TEST_P(ExportTest, RouteStreamsNdjsonAsAnAttachment) {
  LabAuth auth;
  auth.callers["a"] = lab_;
  auth.callers["b"] = other_;
  http::Router router(&auth);
  RegisterRoutes(router, *exports_, ids_);
  Project p = MakeProject("sft");
  auto items = Import(p, {R"({"prompt":"P"})"});
  Insert(p, {{items[0], expert_, R"({"response":"R"})"}});
  std::string pid = ids_.Encode(IdKind::kProject, p.id);

  auto request = [&](std::string token, std::string format) {
    http::Request req;
    req.method = "GET";
    req.path = "/api/v1/projects/" + pid + "/export";
    req.request_id = "rid";
    req.headers.emplace_back("authorization", "Bearer " + token);
    if (!format.empty()) req.query["format"] = format;
    return router.Handle(req);
  };

  http::Response res = request("a", "sft");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.content_type, "application/x-ndjson");
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.headers[0].first, "Content-Disposition");
  EXPECT_EQ(res.headers[0].second, "attachment; filename=\"" + pid + "-sft.jsonl\"");
  ASSERT_TRUE(res.stream);
  Drained d = Drain(res.stream);
  ASSERT_EQ(d.lines.size(), 1u);
  EXPECT_TRUE(d.lines[0].contains("messages"));

  // An export names its format: without one it is 400 naming format.
  http::Response none = request("a", "");
  ASSERT_EQ(none.status, 400);
  EXPECT_NE(none.body.find("\"field\":\"format\""), std::string::npos) << none.body;

  http::Response raw = request("a", "raw");
  ASSERT_EQ(raw.status, 200);
  EXPECT_EQ(raw.headers.at(0).second, "attachment; filename=\"" + pid + "-raw.jsonl\"");
  EXPECT_EQ(S(Drain(raw.stream).lines.at(0).at("expert")),
            "anon-" + std::to_string(lab_.org_id) + "-" + std::to_string(expert_));

  EXPECT_EQ(request("a", "csv").status, 400);
  EXPECT_EQ(request("a", "preference").status, 400);
  EXPECT_EQ(request("b", "raw").status, 404);
  http::Request bad_id;
  bad_id.method = "GET";
  bad_id.path = "/api/v1/projects/prj_nonsense/export";
  bad_id.headers.emplace_back("authorization", "Bearer a");
  EXPECT_EQ(router.Handle(bad_id).status, 404);
}

// Generates 1M submissions (250,000 items, 4 experts) with SQL and times the raw and sft
// exports. A measurement, not a test of speed: run it by hand with
//   fw_delivery_test --gtest_also_run_disabled_tests --gtest_filter='*Million*'
// (FW_EXPORT_BENCH_ROWS overrides the count).
TEST_P(ExportTest, DISABLED_MillionSubmissionsExport) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "measured on SQLite";
  long long total = 1'000'000;
  if (const char* n = std::getenv("FW_EXPORT_BENCH_ROWS")) total = std::atoll(n);
  Project p = MakeProject("sft");
  std::vector<long long> experts{expert_, expert2_, MakeExpert(db(), "x3@x"),
                                 MakeExpert(db(), "x4@x")};
  long long n_items = total / 4;
  auto start = std::chrono::steady_clock::now();
  // The stored forms are the PrefixCodec's ("v1:" + JSON): ~300 bytes of item data and ~600
  // bytes of answer, about the size of a real SFT demonstration.
  auto gen = db().Write<bool>([&](soci::session& s) -> Result<bool> {
    long long org = p.org_id, pid = p.id;
    s << "INSERT INTO items (org_id, project_id, payload, created_at) "
         "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < :n) "
         "SELECT :o, :p, 'v1:{\"prompt\":\"Question ' || x || ': ' || "
         "substr(hex(zeroblob(200)), 1, 260) || '\",\"system\":\"You are a careful physicist.\"}', "
         "1 "
         "FROM c",
        soci::use(n_items), soci::use(org), soci::use(pid);
    for (long long e : experts) {
      s << "INSERT INTO assignments (org_id, project_id, item_id, expert_id, state, leased_at, "
           "lease_expires_at, last_heartbeat_at, active_seconds) "
           "SELECT org_id, project_id, id, :e, 'submitted', 1700000000 + id, 1700001800 + id, "
           "1700000100 + id, 100 FROM items WHERE project_id = :p",
          soci::use(e), soci::use(pid);
    }
    s << "INSERT INTO submissions (org_id, project_id, item_id, assignment_id, expert_id, "
         "idempotency_key, answer, template_version, active_seconds, leased_at, submitted_at, "
         "is_gold) "
         "SELECT org_id, project_id, item_id, id, expert_id, 'k' || id, "
         "'v1:{\"response\":\"Answer ' || id || ': ' || substr(hex(zeroblob(400)), 1, 580) || "
         "'\"}', 1, active_seconds, leased_at, leased_at + 100, 0 "
         "FROM assignments WHERE project_id = :p ORDER BY item_id, expert_id",
        soci::use(pid);
    return true;
  });
  ASSERT_TRUE(gen) << gen.error().message;
  double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("generated %lld submissions in %.2f s\n", total, gen_s);

  for (ExportFormat f : {ExportFormat::kRaw, ExportFormat::kSft}) {
    auto t0 = std::chrono::steady_clock::now();
    timespec cpu0{}, cpu1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
    auto producer = exports_->Export(lab_, p.id, f);
    ASSERT_TRUE(producer);
    std::string out;
    long long lines = 0, bytes = 0;
    for (;;) {
      out.clear();
      auto more = (*producer)(out);
      ASSERT_TRUE(more) << more.error().message;
      for (const char* c = out.data();
           (c = static_cast<const char*>(std::memchr(c, '\n', out.data() + out.size() - c))); ++c) {
        ++lines;
      }
      bytes += static_cast<long long>(out.size());
      if (!*more) break;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
    double cpu = static_cast<double>(cpu1.tv_sec - cpu0.tv_sec) +
                 static_cast<double>(cpu1.tv_nsec - cpu0.tv_nsec) / 1e9;
    std::printf("%s export: %lld lines, %.1f MB in %.2f s wall, %.2f s CPU (%.0f lines/s)\n",
                std::string(ExportFormatName(f)).c_str(), lines, static_cast<double>(bytes) / 1e6,
                secs, cpu, static_cast<double>(lines) / secs);
    EXPECT_EQ(lines, n_items * 4);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ExportTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(ParseExportFormat, KnowsTheThreeFormatsAndNamesTheField) {
  EXPECT_EQ(*ParseExportFormat("raw"), ExportFormat::kRaw);
  EXPECT_EQ(*ParseExportFormat("sft"), ExportFormat::kSft);
  EXPECT_EQ(*ParseExportFormat("preference"), ExportFormat::kPreference);
  for (ExportFormat f : {ExportFormat::kRaw, ExportFormat::kSft, ExportFormat::kPreference}) {
    EXPECT_EQ(*ParseExportFormat(ExportFormatName(f)), f);
  }
  auto bad = ParseExportFormat("RAW");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().details.at(0).field, "format");
}

}  // namespace
}  // namespace fw::delivery
