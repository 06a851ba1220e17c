#include "projects/projects.h"

#include <gtest/gtest.h>

#include "db/migrations.h"
#include "db/testing.h"
#include "projects/pool.h"
#include "projects/requirements.h"

namespace fw::projects {
namespace {

namespace json = boost::json;

// Inserts a lab and returns a caller who is its member.
Caller MakeLab(db::Database& db, const std::string& slug) {
  auto id = db.Write<long long>([&](soci::session& s) -> Result<long long> {
    long long id = 0;
    s << "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, 'k', 1) "
         "RETURNING id",
        soci::use(slug), soci::use(slug), soci::into(id);
    std::string email = slug + "@example.com";
    long long uid = 0;
    s << "INSERT INTO users (email, name, role, org_id, created_at) VALUES (:e, 'n', 'member', :o, "
         "1) RETURNING id",
        soci::use(email), soci::use(id), soci::into(uid);
    return id * 1000000 + uid;
  });
  Caller c;
  c.role = Role::kLabMember;
  c.org_id = *id / 1000000;
  c.user_id = *id % 1000000;
  return c;
}

ByteSource FromString(std::string text) {
  auto data = std::make_shared<std::string>(std::move(text));
  auto pos = std::make_shared<std::size_t>(0);
  // Hand out small pieces so lines cross read boundaries.
  return [data, pos](char* buf, std::size_t n) -> Result<std::size_t> {
    std::size_t k = std::min<std::size_t>({n, 7, data->size() - *pos});
    std::memcpy(buf, data->data() + *pos, k);
    *pos += k;
    return k;
  };
}

class ProjectsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    tdb_ = db::testing::TestDatabase::Make(GetParam(), &why);
    if (!tdb_) GTEST_SKIP() << why;
    ProjectOptions o;
    o.spool_dir = (std::filesystem::temp_directory_path() / "fw_spool_test").string();
    service_ = std::make_unique<ProjectService>(tdb_->db(), clock_, tenancy_, o);
    lab_ = MakeLab(tdb_->db(), "lab-a");
    other_ = MakeLab(tdb_->db(), "lab-b");
  }

  // The number of items of the project, read directly.
  long long CountItems(std::int64_t project_id) {
    auto n = tdb_->db().Read<long long>([&](soci::session& s) -> Result<long long> {
      long long c = 0;
      long long pid = project_id;
      s << "SELECT COUNT(*) FROM items WHERE project_id = :p", soci::into(c), soci::use(pid);
      return c;
    });
    EXPECT_TRUE(n);
    return n.value_or(-1);
  }

  Project MakeProject(const std::string& preset = "classification", int k = 2) {
    NewProject np;
    np.name = "p";
    np.preset = preset;
    np.redundancy = k;
    auto p = service_->Create(lab_, np);
    EXPECT_TRUE(p) << p.error().message;
    return *p;
  }

  // Runs `fn` on the item inside a write transaction, as the work and reports rooms do.
  void OnItem(std::int64_t item_id, void (*fn)(soci::session&, std::int64_t)) {
    ASSERT_TRUE(tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
      fn(s, item_id);
      return true;
    }));
  }
  void Judge(std::int64_t item_id) {
    ASSERT_TRUE(tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
      RecordJudgment(s, item_id, clock_.Now());
      return true;
    }));
  }

  // The project's progress as the lab reads it in the list, checked against the one-project
  // read.
  Progress ProgressOf(std::int64_t project_id) {
    auto list = service_->ListProgress(lab_);
    EXPECT_TRUE(list) << list.error().message;
    auto one = service_->ProjectProgress(lab_, project_id);
    EXPECT_TRUE(one) << one.error().message;
    if (!list || !one || !list->count(project_id)) return {};
    const Progress& p = list->at(project_id);
    EXPECT_EQ(p.items, one->items);
    EXPECT_EQ(p.complete, one->complete);
    EXPECT_EQ(p.remaining_judgments, one->remaining_judgments);
    EXPECT_EQ(p.submissions_last_day, one->submissions_last_day);
    return p;
  }

  FakeClock clock_;
  security::PlainCodec codec_;
  tenancy::Tenancy tenancy_{codec_};
  std::unique_ptr<db::testing::TestDatabase> tdb_;
  std::unique_ptr<ProjectService> service_;
  Caller lab_, other_;
};

TEST_P(ProjectsTest, CreateFromPresetAndReadBack) {
  Project p = MakeProject("sft", 3);
  EXPECT_EQ(p.redundancy, 3);
  EXPECT_EQ(p.template_version, 1);
  ASSERT_TRUE(p.tmpl->FindQuestion("response"));
  auto got = service_->Get(lab_, p.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "p");
}

TEST_P(ProjectsTest, AnotherLabSeesNothing) {
  Project p = MakeProject();
  auto got = service_->Get(other_, p.id);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_->List(other_)->empty());
  EXPECT_EQ(service_->Import(other_, p.id, FromString("{\"text\":\"x\"}\n")).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(service_->ListItems(other_, p.id, 10, 0).error().code, ErrorCode::kNotFound);
}

TEST_P(ProjectsTest, BadSettingsNameTheField) {
  NewProject np;
  np.name = "p";
  np.preset = "sft";
  np.gold_rate = 1.5;
  auto r = service_->Create(lab_, np);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().details.at(0).field, "gold_rate");
  np.gold_rate = 0;
  np.preset = "nonsense";
  r = service_->Create(lab_, np);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().details.at(0).field, "preset");
  np.preset = "";
  r = service_->Create(lab_, np);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().details.at(0).field, "template");
}

TEST_P(ProjectsTest, ImportStoresItemsGoldAndPriorities) {
  Project p = MakeProject();
  std::string body =
      "{\"text\":\"plain item\"}\n"
      "\n"
      "{\"data\":{\"text\":\"gold item $E=mc^2$\"},\"gold\":{\"label\":\"correct\"},\"priority\":5,"
      "\"external_id\":\"g1\"}\r\n"
      "{\"data\":{\"text\":\"last line without newline\"}}";
  auto sum = service_->Import(lab_, p.id, FromString(body));
  ASSERT_TRUE(sum) << sum.error().message;
  EXPECT_EQ(sum->items, 2);
  EXPECT_EQ(sum->gold_items, 1);
  auto page = service_->ListItems(lab_, p.id, 10, 0);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[1].priority, 5);
  EXPECT_EQ(page->items[1].external_id, "g1");
  ASSERT_TRUE(page->items[1].gold);
  EXPECT_EQ(page->items[1].gold->as_object().at("label").as_string(), "correct");
  EXPECT_EQ(page->items[2].data.as_object().at("text").as_string(), "last line without newline");
  auto counts = service_->Counts(lab_, p.id);
  EXPECT_EQ(counts->items, 2);
  EXPECT_EQ(counts->gold_items, 1);
}

TEST_P(ProjectsTest, BadLinesAreReportedByNumberAndNothingIsStored) {
  Project p = MakeProject();
  std::string body =
      "{\"text\":\"ok\"}\n"
      "{not json\n"
      "{\"other\":\"missing text\"}\n"
      "{\"data\":{\"text\":\"x\"},\"gold\":{\"label\":\"maybe\"}}\n"
      "[1,2]\n";
  auto r = service_->Import(lab_, p.id, FromString(body));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(r.error().details.size(), 4u);
  EXPECT_EQ(r.error().details[0].field, "line 2");
  EXPECT_EQ(r.error().details[0].code, "invalid_json");
  EXPECT_EQ(r.error().details[1].field, "line 3");
  EXPECT_EQ(r.error().details[2].field, "line 4");
  EXPECT_EQ(r.error().details[2].code, "invalid_gold");
  EXPECT_EQ(r.error().details[3].code, "not_an_object");
  EXPECT_TRUE(service_->ListItems(lab_, p.id, 10, 0)->items.empty());
}

TEST_P(ProjectsTest, EmptyImportIsRejected) {
  Project p = MakeProject();
  auto r = service_->Import(lab_, p.id, FromString("\n\n"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(ProjectsTest, NewTemplateMakesANewVersionAndKeepsTheOld) {
  Project p = MakeProject();
  ProjectPatch patch;
  patch.tmpl = json::parse(R"({"fields":[{"name":"text","type":"text"}],
                               "questions":[{"name":"score","type":"rating","min":1,"max":3}]})");
  auto u = service_->Update(lab_, p.id, patch);
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->template_version, 2);
  auto v1 = service_->TemplateVersion(p.id, 1);
  auto v2 = service_->TemplateVersion(p.id, 2);
  ASSERT_TRUE(v1 && v2);
  EXPECT_TRUE((*v1)->FindQuestion("label"));
  EXPECT_TRUE((*v2)->FindQuestion("score"));
  EXPECT_EQ(service_->TemplateVersion(p.id, 3).error().code, ErrorCode::kNotFound);
}

TEST_P(ProjectsTest, PagingWalksAllItems) {
  Project p = MakeProject();
  std::string body;
  for (int i = 0; i < 25; ++i) body += "{\"text\":\"item " + std::to_string(i) + "\"}\n";
  ASSERT_TRUE(service_->Import(lab_, p.id, FromString(body)));
  std::int64_t after = 0;
  int seen = 0, pages = 0;
  do {
    auto page = service_->ListItems(lab_, p.id, 10, after);
    ASSERT_TRUE(page);
    seen += static_cast<int>(page->items.size());
    after = page->next_after;
    ++pages;
  } while (after != 0);
  EXPECT_EQ(seen, 25);
  EXPECT_EQ(pages, 3);
}

TEST_P(ProjectsTest, DomainsAreCheckedAndAnOpenProjectHasNoMinimumLevel) {
  std::vector<std::string> asked;
  service_->SetDomainCheck([&](std::string_view name) -> Result<bool> {
    asked.emplace_back(name);
    return name == "physics" || name == "linguistics";
  });
  NewProject np;
  np.name = "p";
  np.preset = "sft";
  np.domain = "astrology";
  auto r = service_->Create(lab_, np);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().details.at(0), (FieldError{"domain", "unknown",
                                                 "GET /api/v1/domains lists the domains; null "
                                                 "opens the project to every expert"}));
  np.domain = "Physics";  // malformed: refused without asking
  EXPECT_EQ(service_->Create(lab_, np).error().details.at(0).field, "domain");
  EXPECT_EQ(asked, std::vector<std::string>{"astrology"});
  np.domain = "";
  np.min_level = 2;
  r = service_->Create(lab_, np);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().details.at(0).field, "min_level");
  EXPECT_EQ(r.error().details.at(0).code, "requires_domain");
  EXPECT_TRUE(service_->List(lab_)->empty());

  np.domain = "linguistics";
  auto known = service_->Create(lab_, np);
  ASSERT_TRUE(known) << known.error().message;
  EXPECT_EQ(known->domain, "linguistics");
  EXPECT_EQ(known->min_level, 2);
  np.domain = "";
  np.min_level = 0;
  auto open = service_->Create(lab_, np);
  ASSERT_TRUE(open) << open.error().message;
  EXPECT_EQ(open->domain, "");
}

TEST_P(ProjectsTest, AFailingDomainCheckFailsTheCreate) {
  service_->SetDomainCheck([](std::string_view) -> Result<bool> {
    return Fail(ErrorCode::kUnavailable, "the database is busy; retry");
  });
  NewProject np;
  np.name = "p";
  np.preset = "sft";
  np.domain = "physics";
  auto r = service_->Create(lab_, np);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(service_->List(lab_)->empty());
}

TEST_P(ProjectsTest, GuidelinesAreVersionedWithTheTemplate) {
  NewProject np;
  np.name = "p";
  np.preset = "classification";
  np.guidelines = "Check each step; $\\sum_k k = n(n+1)/2$ is fine.";
  auto p = service_->Create(lab_, np);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->guidelines, np.guidelines);

  ProjectPatch words;
  words.guidelines = "Mark a proof incorrect at its first wrong step.";
  auto v2 = service_->Update(lab_, p->id, words);
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->template_version, 2);
  EXPECT_EQ(v2->guidelines, *words.guidelines);
  EXPECT_TRUE(v2->tmpl->FindQuestion("label"));  // the template carried forward

  ProjectPatch tmpl;
  tmpl.tmpl = json::parse(R"({"fields":[{"name":"text","type":"text"}],
                              "questions":[{"name":"score","type":"rating","min":1,"max":3}]})");
  auto v3 = service_->Update(lab_, p->id, tmpl);
  ASSERT_TRUE(v3) << v3.error().message;
  EXPECT_EQ(v3->template_version, 3);
  EXPECT_EQ(v3->guidelines, *words.guidelines);  // the guidelines carried forward

  EXPECT_EQ(**service_->Guidelines(p->id, 1), np.guidelines);
  EXPECT_EQ(**service_->Guidelines(p->id, 2), *words.guidelines);
  EXPECT_EQ(**service_->Guidelines(p->id, 3), *words.guidelines);
  EXPECT_TRUE((*service_->TemplateVersion(p->id, 2))->FindQuestion("label"));
  EXPECT_TRUE((*service_->TemplateVersion(p->id, 3))->FindQuestion("score"));
  EXPECT_EQ(service_->Guidelines(p->id, 4).error().code, ErrorCode::kNotFound);

  ProjectPatch both;
  both.tmpl = tmpl.tmpl;
  both.guidelines = "";
  auto v4 = service_->Update(lab_, p->id, both);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->template_version, 4);  // one version for both
  EXPECT_EQ(v4->guidelines, "");
}

TEST_P(ProjectsTest, GuidelinesOver64KiBAreRefusedAndNothingChanges) {
  NewProject np;
  np.name = "p";
  np.preset = "sft";
  np.guidelines = std::string(kMaxGuidelinesBytes + 1, 'x');
  auto r = service_->Create(lab_, np);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().details.at(0).field, "guidelines");
  EXPECT_EQ(r.error().details.at(0).code, "too_long");
  np.guidelines = std::string(kMaxGuidelinesBytes, 'x');
  auto p = service_->Create(lab_, np);
  ASSERT_TRUE(p) << p.error().message;
  ProjectPatch patch;
  patch.guidelines = std::string(kMaxGuidelinesBytes + 1, 'y');
  patch.name = "renamed";
  auto u = service_->Update(lab_, p->id, patch);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().details.at(0).field, "guidelines");
  auto got = service_->Get(lab_, p->id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->template_version, 1);
  EXPECT_EQ(got->name, "p");
  EXPECT_EQ(got->guidelines, np.guidelines);
}

TEST_P(ProjectsTest, AnImportSkipsExternalIdsTheProjectHolds) {
  Project p = MakeProject();
  std::string body = R"({"data":{"text":"a"},"external_id":"a"})"
                     "\n"
                     R"({"data":{"text":"b"},"external_id":"b","gold":{"label":"correct"}})"
                     "\n"
                     R"({"text":"no id"})"
                     "\n";
  auto first = service_->Import(lab_, p.id, FromString(body));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->items, 2);
  EXPECT_EQ(first->gold_items, 1);
  EXPECT_EQ(first->existing, 0);

  auto retry = service_->Import(lab_, p.id, FromString(body));
  ASSERT_TRUE(retry) << retry.error().message;
  EXPECT_EQ(retry->items, 1);  // only the line without an external_id is new
  EXPECT_EQ(retry->gold_items, 0);
  EXPECT_EQ(retry->existing, 2);
  EXPECT_NE(retry->import_id, first->import_id);

  auto changed = service_->Import(lab_, p.id,
                                  FromString(R"({"data":{"text":"a, edited"},"external_id":"a"})"
                                             "\n"
                                             R"({"data":{"text":"c"},"external_id":"c"})"
                                             "\n"));
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->items, 1);
  EXPECT_EQ(changed->existing, 1);
  auto page = service_->ListItems(lab_, p.id, 10, 0);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 5u);
  EXPECT_EQ(page->items[0].data.at("text").as_string(), "a");  // the stored item stays as it was
  EXPECT_EQ(page->items[4].external_id, "c");
  auto counts = service_->Counts(lab_, p.id);
  EXPECT_EQ(counts->items, 4);
  EXPECT_EQ(counts->gold_items, 1);

  // External ids are per project: another project takes the same ones as new items.
  Project q = MakeProject();
  auto elsewhere = service_->Import(lab_, q.id, FromString(body));
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->items + elsewhere->gold_items, 3);
  EXPECT_EQ(elsewhere->existing, 0);
}

TEST_P(ProjectsTest, AnExternalIdTwiceInOneUploadIsABadLineAndNothingIsStored) {
  Project p = MakeProject();
  std::string body = R"({"data":{"text":"a"},"external_id":"a"})"
                     "\n"
                     R"({"data":{"text":"b"},"external_id":"b"})"
                     "\n"
                     "\n"
                     R"({"data":{"text":"a again"},"external_id":"a"})"
                     "\n"
                     R"({"text":"no id"})"
                     "\n"
                     R"({"data":{"text":"b again"},"external_id":"b"})"
                     "\n";
  auto r = service_->Import(lab_, p.id, FromString(body));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(r.error().details.size(), 2u);
  EXPECT_EQ(r.error().details[0].field, "line 4");
  EXPECT_EQ(r.error().details[0].code, "duplicate_external_id");
  EXPECT_EQ(r.error().details[1].field, "line 6");
  EXPECT_EQ(CountItems(p.id), 0);
  auto counts = service_->Counts(lab_, p.id);
  EXPECT_EQ(counts->items, 0);
}

TEST_P(ProjectsTest, TheDatabaseRefusesASecondItemWithTheSameExternalId) {
  Project p = MakeProject();
  ASSERT_TRUE(service_->Import(lab_, p.id,
                               FromString(R"({"data":{"text":"a"},"external_id":"a"})"
                                          "\n")));
  auto again = tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
    long long pid = p.id, org = lab_.org_id;
    s << "INSERT INTO items (org_id, project_id, external_id, payload, created_at) "
         "VALUES (:o, :p, 'a', '{}', 1)",
        soci::use(org), soci::use(pid);
    return true;
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(CountItems(p.id), 1);
}

// Before external ids were unique, an upload imported twice stored its items twice; the
// migration that adds the unique index keeps the first of each and renames the others.
TEST_P(ProjectsTest, TheExternalIdMigrationKeepsTheFirstItemAndSuffixesTheLaterOnes) {
  Project p = MakeProject();
  Project q = MakeProject();
  auto seeded = tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
    s << "DROP INDEX items_external_id";
    long long org = lab_.org_id, pid = p.id, qid = q.id;
    const std::vector<std::pair<long long, std::string>> rows = {
        {pid, "a"}, {pid, "a"}, {pid, "b"}, {pid, "a"}, {qid, "a"}};
    for (const auto& [project, ext] : rows) {
      s << "INSERT INTO items (org_id, project_id, external_id, payload, created_at) "
           "VALUES (:o, :p, :e, '{}', 1)",
          soci::use(org), soci::use(project), soci::use(ext);
    }
    s << "INSERT INTO items (org_id, project_id, payload, created_at) VALUES (:o, :p, '{}', 1)",
        soci::use(org), soci::use(pid);
    // The migration's statements but the column it adds, which is there already.
    for (const db::Migration& m : db::Migrations()) {
      if (m.name != "0006_item_external_ids") continue;
      for (const std::string& stmt : db::RenderMigration(m.sql, tdb_->db().dialect())) {
        if (stmt.find("ALTER TABLE") == std::string::npos) s << stmt;
      }
    }
    return true;
  });
  ASSERT_TRUE(seeded) << seeded.error().message;
  auto page = service_->ListItems(lab_, p.id, 10, 0);
  ASSERT_TRUE(page);
  std::vector<std::string> ext;
  for (const Item& it : page->items) ext.push_back(it.external_id);
  EXPECT_EQ(ext, (std::vector<std::string>{"a", "a#2", "b", "a#3", ""}));
  EXPECT_EQ(service_->ListItems(lab_, q.id, 10, 0)->items.at(0).external_id, "a");
  auto retry = service_->Import(lab_, p.id,
                                FromString(R"({"data":{"text":"a"},"external_id":"a"})"
                                           "\n"));
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->existing, 1);
}

// (items, complete, remaining, remaining judgments, judgments)
using Counted = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t>;
Counted Count(const Progress& p) {
  return {p.items, p.complete, p.remaining, p.remaining_judgments, p.submissions};
}

TEST_P(ProjectsTest, ProgressCountsImportsJudgmentsSettlingAndRedundancyChanges) {
  Project p = MakeProject("classification", 2);
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(0, 0, 0, 0, 0));
  ASSERT_TRUE(service_->Import(lab_, p.id,
                               FromString("{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\":\"c\"}\n"
                                          "{\"text\":\"d\"}\n{\"data\":{\"text\":\"g\"},"
                                          "\"gold\":{\"label\":\"correct\"}}\n")));
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(4, 0, 4, 8, 0));
  auto items = service_->ListItems(lab_, p.id, 10, 0)->items;
  ASSERT_EQ(items.size(), 5u);
  const std::int64_t a = items[0].id, b = items[1].id, gold = items[4].id;

  Judge(a);
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(4, 0, 4, 7, 1));
  clock_.Advance(5);
  Judge(a);  // its second of two: complete
  Judge(gold);
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(4, 1, 3, 6, 2));
  OnItem(b, SettleItem);  // settled without a judgment: both it wanted are off
  OnItem(b, SettleItem);
  OnItem(gold, SettleItem);
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(4, 2, 2, 4, 2));
  Judge(b);  // a lease that ran on after settling
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(4, 2, 2, 4, 3));

  // Redundancy 3: `a` wants one more; settled `b` stays complete.
  ProjectPatch more;
  more.redundancy = 3;
  ASSERT_TRUE(service_->Update(lab_, p.id, more));
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(4, 1, 3, 7, 3));
  ASSERT_TRUE(service_->Import(lab_, p.id, FromString("{\"text\":\"e\"}\n")));
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(5, 1, 4, 10, 3));
  // Adaptive redundancy off unsettles `b`, which has 1 of 3.
  ProjectPatch adaptive_on;
  adaptive_on.adaptive = Adaptive{0.9, 2, 0, 0};
  ASSERT_TRUE(service_->Update(lab_, p.id, adaptive_on));
  ProjectPatch adaptive_off;
  adaptive_off.adaptive = Adaptive{};
  ASSERT_TRUE(service_->Update(lab_, p.id, adaptive_off));
  EXPECT_EQ(Count(ProgressOf(p.id)), Counted(5, 0, 5, 12, 3));

  Progress now = ProgressOf(p.id);
  EXPECT_EQ(now.as_of, clock_.Now());
  EXPECT_EQ(now.in_progress, 0);
  EXPECT_EQ(now.submissions_last_day, 3);
  ASSERT_TRUE(now.throughput_per_hour);
  EXPECT_DOUBLE_EQ(*now.throughput_per_hour, 180.0);  // 3 in 5 s, taken as over a minute

  EXPECT_FALSE(service_->ListProgress(other_)->count(p.id));
  EXPECT_EQ(service_->ProjectProgress(other_, p.id).error().code, ErrorCode::kNotFound);
}

TEST_P(ProjectsTest, ProgressWindowsComeFromTheRecordedTotals) {
  const UnixSeconds t0 = clock_.Now();
  Project p = MakeProject("classification", 3);
  Project idle = MakeProject("classification", 3);
  ASSERT_TRUE(service_->Import(lab_, p.id, FromString("{\"text\":\"a\"}\n{\"text\":\"b\"}\n")));
  auto items = service_->ListItems(lab_, p.id, 10, 0)->items;
  auto records = [&] { return tdb_->Rows("progress_snapshots"); };

  for (int i = 0; i < 3; ++i) Judge(items[i % 2].id);
  clock_.Advance(10);
  EXPECT_EQ(service_->RecordProgress().value_or(-1), 1);  // the idle project has nothing
  EXPECT_EQ(service_->RecordProgress().value_or(-1), 0);  // nothing changed
  clock_.Advance(1800);
  Judge(items[0].id);
  Judge(items[1].id);
  EXPECT_EQ(service_->RecordProgress().value_or(-1), 1);
  EXPECT_EQ(records(), 2);

  // An hour after t0 + 100: the total recorded at t0 + 10 (3) is the latest by then.
  clock_.Set(t0 + 3700);
  Progress g = ProgressOf(p.id);
  EXPECT_EQ(g.submissions, 5);
  EXPECT_EQ(g.submissions_last_hour, 2);
  EXPECT_EQ(g.submissions_last_day, 5);
  EXPECT_DOUBLE_EQ(*g.throughput_per_hour, 4.86);  // 5 over the 3700 s since the first
  // a has its 3 judgments, b 2 of 3.
  EXPECT_EQ(g.remaining_judgments, 1);
  ASSERT_TRUE(g.estimated_completion);
  EXPECT_EQ(*g.estimated_completion, t0 + 3700 + 740);  // 3700 s / 5 judgments
  EXPECT_EQ(ProgressOf(idle.id).submissions_last_day, 0);

  // A day after t0 + 100: the first three fall out of the day, the hour is empty.
  clock_.Set(t0 + 86400 + 100);
  g = ProgressOf(p.id);
  EXPECT_EQ(g.submissions_last_day, 2);
  EXPECT_EQ(g.submissions_last_hour, 0);
  EXPECT_DOUBLE_EQ(*g.throughput_per_hour, 0.08);  // 2 in 24 h

  // Records a day old go, but for the latest, which the day's window still starts from.
  clock_.Set(t0 + 86400 + 1900);
  EXPECT_EQ(service_->RecordProgress().value_or(-1), 0);
  EXPECT_EQ(records(), 1);
  g = ProgressOf(p.id);
  EXPECT_EQ(g.submissions_last_day, 0);
  EXPECT_DOUBLE_EQ(*g.throughput_per_hour, 0.0);
  EXPECT_FALSE(g.estimated_completion);
}

TEST_P(ProjectsTest, RequirementsAreStoredCanonicalAndTermsAreVersioned) {
  NewProject np;
  np.name = "p";
  np.preset = "classification";
  np.requirements.min_exam_score = 80;
  np.requirements.credential_kinds = {{"licence", "degree", "licence"}};
  np.requirements.languages = {{"EN", "pt-br"}};
  np.requirements.competitors = {{"  ACME   Corp ", "acme corp", "Initech"}};
  np.requirements.terms = "Keep it secret.";
  np.requirements.min_gold_accuracy = 0.7;
  np.requirements.min_judgments = 5;
  auto created = service_->Create(lab_, np);
  ASSERT_TRUE(created) << created.error().message;
  const ExpertRequirements& r = created->requirements;
  EXPECT_EQ(r.min_exam_score, 80);
  EXPECT_EQ(r.credential_kinds, (std::vector<std::string>{"degree", "licence"}));
  EXPECT_EQ(r.languages, (std::vector<std::string>{"en", "pt-BR"}));
  EXPECT_EQ(r.competitors, (std::vector<std::string>{"acme corp", "initech"}));
  EXPECT_EQ(r.terms_version, 1);
  EXPECT_EQ(r.terms, "Keep it secret.");
  EXPECT_EQ(r.standing.min_gold_accuracy, 0.7);
  EXPECT_EQ(r.standing.min_skill, std::nullopt);
  EXPECT_EQ(r.standing.min_judgments, 5);

  auto routing = [&] {
    return tdb_->db().Read<Requirements>(
        [&](soci::session& s) -> Result<Requirements> { return *RequirementsOf(s, created->id); });
  };
  EXPECT_EQ(routing()->competitors, r.competitors);
  EXPECT_EQ(routing()->terms_version, 1);
  EXPECT_EQ(routing()->org_id, lab_.org_id);

  ProjectPatch same;
  same.requirements.terms = "Keep it secret.";
  EXPECT_EQ(service_->Update(lab_, created->id, same)->requirements.terms_version, 1)
      << "the same text is no new version";
  ProjectPatch changed;
  changed.requirements.terms = "Keep it secret, and tell no one.";
  changed.requirements.min_gold_accuracy = std::optional<double>();
  auto v2 = service_->Update(lab_, created->id, changed);
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->requirements.terms_version, 2);
  EXPECT_EQ(v2->requirements.standing.min_gold_accuracy, std::nullopt);
  EXPECT_EQ(v2->requirements.min_exam_score, 80) << "what the patch does not name stays";
  ProjectPatch none;
  none.requirements.terms = "";
  EXPECT_EQ(service_->Update(lab_, created->id, none)->requirements.terms_version, 0);
  ProjectPatch again;
  again.requirements.terms = "New terms.";
  EXPECT_EQ(service_->Update(lab_, created->id, again)->requirements.terms_version, 3)
      << "a version number is never reused";
  auto terms = tdb_->db().Read<Terms>(
      [&](soci::session& s) -> Result<Terms> { return *TermsOf(s, created->id); });
  ASSERT_TRUE(terms);
  EXPECT_EQ(terms->version, 3);
  EXPECT_EQ(terms->text, "New terms.");
}

TEST_P(ProjectsTest, BadRequirementsNameTheFieldAndChangeNothing) {
  Project p = MakeProject();
  ProjectPatch bad;
  bad.requirements.min_exam_score = 101;
  bad.requirements.languages = {{"en", "not a tag"}};
  bad.requirements.credential_kinds = {{"diploma"}};
  bad.requirements.min_skill = 1.5;
  bad.name = "renamed";
  auto got = service_->Update(lab_, p.id, bad);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldError& d : got.error().details) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "requirements.min_exam_score", "requirements.credential_kinds[0]",
                        "requirements.languages[1]", "requirements.standing.min_skill"}));
  auto now = service_->Get(lab_, p.id);
  EXPECT_EQ(now->name, "p");
  EXPECT_EQ(now->requirements.min_exam_score, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProjectsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fw::projects
