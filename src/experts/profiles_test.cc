// Expert profiles: the field rules (language tags, time zones, organisation keys) and the
// store, on SQLite and PostgreSQL.

#include "experts/profiles.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "orgs/testing.h"

namespace fw::experts {
namespace {

using orgs::testing::IsError;

TEST(CanonicalLanguageTag, AcceptsAndNormalisesBcp47Tags) {
  EXPECT_EQ(CanonicalLanguageTag("en"), "en");
  EXPECT_EQ(CanonicalLanguageTag("EN"), "en");
  EXPECT_EQ(CanonicalLanguageTag("pt-br"), "pt-BR");
  EXPECT_EQ(CanonicalLanguageTag("zh-hant-tw"), "zh-Hant-TW");
  EXPECT_EQ(CanonicalLanguageTag("sr-LATN"), "sr-Latn");
  EXPECT_EQ(CanonicalLanguageTag("es-419"), "es-419");
  EXPECT_EQ(CanonicalLanguageTag("de-CH-1996"), "de-CH-1996");
  EXPECT_EQ(CanonicalLanguageTag("sl-rozaj"), "sl-rozaj");
}

TEST(CanonicalLanguageTag, RefusesWhatIsNotATag) {
  for (const char* bad : {"", "e", "english", "en_US", "en-", "-en", "en--US", "en-US-x-private",
                          "12", "en-a", "de-CH-19", "en US", "ü", "en-USA-extra-long-thing-x"}) {
    EXPECT_EQ(CanonicalLanguageTag(bad), std::nullopt) << bad;
  }
}

TEST(IsTimeZone, AcceptsIanaNamesFromTheZoneDatabase) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin")) {
    GTEST_SKIP() << "no tzdata on this machine";
  }
  EXPECT_TRUE(IsTimeZone("UTC"));
  EXPECT_TRUE(IsTimeZone("Europe/Berlin"));
  EXPECT_TRUE(IsTimeZone("America/Argentina/Buenos_Aires"));
  EXPECT_TRUE(IsTimeZone("America/Port-au-Prince"));
  EXPECT_TRUE(IsTimeZone("Etc/GMT+5"));
  EXPECT_FALSE(IsTimeZone("Europe/Atlantis"));
  EXPECT_FALSE(IsTimeZone("Mars/Olympus_Mons"));
}

TEST(IsTimeZone, NeverLooksOutsideTheDatabase) {
  for (const char* bad : {"", "/etc/passwd", "Europe/../../../etc/passwd", "Europe/./Berlin",
                          "Europe//Berlin", "Europe/", "../zoneinfo/UTC", "Europe/Berlin\n",
                          "posix/Europe/Berlin", "Europe", "CET", "europe/berlin"}) {
    EXPECT_FALSE(IsTimeZone(bad)) << bad;
  }
}

TEST(IsTimeZone, FallsBackToTheShapeWithoutAZoneDatabase) {
  const char* missing = "/nonexistent/zoneinfo";
  EXPECT_TRUE(IsTimeZone("Europe/Berlin", missing));
  EXPECT_TRUE(IsTimeZone("UTC", missing));
  EXPECT_FALSE(IsTimeZone("Mars/Olympus_Mons", missing));
  EXPECT_FALSE(IsTimeZone("Europe/../x", missing));
}

TEST(OrganisationKey, FoldsCaseAndCollapsesSpaces) {
  EXPECT_EQ(OrganisationKey("  ACME   Corp "), "acme corp");
  EXPECT_EQ(OrganisationKey("Acme\tCorp\n"), "acme corp");
  EXPECT_EQ(OrganisationKey("acme corp"), OrganisationKey("ACME CORP"));
  EXPECT_EQ(OrganisationKey("Zürich Versicherung"), "zürich versicherung");
  EXPECT_EQ(OrganisationKey("   "), "");
}

class ProfileServiceTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    profiles_ = std::make_unique<ProfileService>(*db_, clock_, "/nonexistent/zoneinfo");
    expert_ = MakeUser("expert@x.org", Role::kExpert);
  }

  static ProfileUpdate Good() {
    ProfileUpdate u;
    u.headline = "Theoretical physicist";
    u.languages = {"en", "de-ch"};
    u.time_zone = "Europe/Zurich";
    u.weekly_hours_cap = 20;
    u.domains = {{"physics", 4}, {"mathematics", 3}};
    Affiliation a;
    a.organisation = "  ACME   Research ";
    a.kind = "employer";
    a.since = 1'600'000'000;
    u.affiliations = {a};
    return u;
  }

  std::unique_ptr<ProfileService> profiles_;
  orgs::User expert_;
};

TEST_P(ProfileServiceTest, AnUnsavedProfileHasTheDefaults) {
  auto p = profiles_->Get(expert_.id);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->time_zone, "UTC");
  EXPECT_TRUE(p->languages.empty());
  EXPECT_FALSE(p->updated_at);
}

TEST_P(ProfileServiceTest, StoresAndReadsBackAWholeProfile) {
  auto put = profiles_->Put(CallerOf(expert_), Good());
  ASSERT_TRUE(put) << put.error().message;
  auto p = profiles_->Get(expert_.id).value();
  EXPECT_EQ(p.headline, "Theoretical physicist");
  EXPECT_EQ(p.languages, (std::vector<std::string>{"en", "de-CH"}));
  EXPECT_EQ(p.time_zone, "Europe/Zurich");
  EXPECT_EQ(p.weekly_hours_cap, 20);
  EXPECT_EQ(p.domains, (std::vector<DeclaredDomain>{{"mathematics", 3}, {"physics", 4}}));
  ASSERT_EQ(p.affiliations.size(), 1u);
  EXPECT_EQ(p.affiliations[0].organisation, "ACME   Research");
  EXPECT_EQ(p.affiliations[0].organisation_key, "acme research");
  EXPECT_EQ(p.affiliations[0].since, 1'600'000'000);
  EXPECT_FALSE(p.affiliations[0].until);
  EXPECT_EQ(p.updated_at, clock_.Now());

  // A second save replaces everything, affiliations and domains included.
  ProfileUpdate less;
  less.time_zone = "UTC";
  ASSERT_TRUE(profiles_->Put(CallerOf(expert_), less));
  p = profiles_->Get(expert_.id).value();
  EXPECT_TRUE(p.domains.empty());
  EXPECT_TRUE(p.affiliations.empty());
  EXPECT_FALSE(p.weekly_hours_cap);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM affiliations"), 0);
}

TEST_P(ProfileServiceTest, NamesEachFieldAtFaultAndStoresNothing) {
  struct Case {
    std::function<void(ProfileUpdate&)> change;
    std::string field;
    std::string code;
  };
  std::vector<Case> cases = {
      {[](ProfileUpdate& u) { u.headline = std::string(301, 'x'); }, "headline", "too_long"},
      {[](ProfileUpdate& u) { u.languages = {"en", "klingon!"}; }, "languages[1]", "invalid"},
      {[](ProfileUpdate& u) { u.languages = {"en", "EN"}; }, "languages[1]", "duplicate"},
      {[](ProfileUpdate& u) { u.languages = std::vector<std::string>(21, "en"); }, "languages",
       "too_many"},
      {[](ProfileUpdate& u) { u.time_zone = "Mars/Base"; }, "time_zone", "invalid"},
      {[](ProfileUpdate& u) { u.weekly_hours_cap = 0; }, "weekly_hours_cap", "out_of_range"},
      {[](ProfileUpdate& u) { u.weekly_hours_cap = 169; }, "weekly_hours_cap", "out_of_range"},
      {[](ProfileUpdate& u) { u.domains = {{"physics", 6}}; }, "domains[0].level",
       "out_of_range"},
      {[](ProfileUpdate& u) { u.domains = {{"physics", 2}, {"physics", 3}}; },
       "domains[1].domain", "duplicate"},
      {[](ProfileUpdate& u) { u.domains = {{"physics", 2}, {"astrology", 3}}; },
       "domains[1].domain", "unknown"},
      {[](ProfileUpdate& u) { u.affiliations[0].organisation = "  "; },
       "affiliations[0].organisation", "required"},
      {[](ProfileUpdate& u) { u.affiliations[0].kind = "friend"; }, "affiliations[0].kind",
       "invalid"},
      {[](ProfileUpdate& u) { u.affiliations[0].until = 1'500'000'000; },
       "affiliations[0].until", "before_since"},
  };
  for (const Case& c : cases) {
    ProfileUpdate u = Good();
    c.change(u);
    auto r = profiles_->Put(CallerOf(expert_), u);
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, c.field)) << c.field;
    EXPECT_EQ(r.error().details.front().code, c.code) << c.field;
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM expert_profiles"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM profile_domains"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM affiliations"), 0);
}

TEST_P(ProfileServiceTest, OnlyExpertsKeepAProfile) {
  orgs::User op = MakeUser("op@x.org", Role::kOperator);
  EXPECT_TRUE(IsError(profiles_->Put(CallerOf(op), Good()), ErrorCode::kPermissionDenied));
}

FW_INSTANTIATE_BACKENDS(ProfileServiceTest);

}  // namespace
}  // namespace fw::experts
