// The requirements' vocabulary and their checks (pure).

#include "projects/expert_requirements.h"

#include <gtest/gtest.h>

namespace fw::projects {
namespace {

TEST(LanguageCovers, AMoreSpecificTagCoversItsLanguage) {
  EXPECT_TRUE(LanguageCovers("en", "en"));
  EXPECT_TRUE(LanguageCovers("en-GB", "en"));
  EXPECT_TRUE(LanguageCovers("zh-Hant-TW", "zh-Hant"));
  EXPECT_FALSE(LanguageCovers("en", "en-GB")) << "English is not British English";
  EXPECT_FALSE(LanguageCovers("eng", "en")) << "a prefix must end at a subtag";
  EXPECT_FALSE(LanguageCovers("de", "en"));
}

TEST(OrganisationKey, IsWhatCompetitorsAndAffiliationsMeetOn) {
  EXPECT_EQ(OrganisationKey("  ACME   Corp "), "acme corp");
  EXPECT_EQ(OrganisationKey(""), "");
}

TEST(ApplyRequirements, ReplacesWhatThePatchNamesAndWritesListsCanonically) {
  ExpertRequirements current;
  current.min_exam_score = 50;
  current.languages = {"de"};
  RequirementsPatch patch;
  patch.languages = {{"EN-gb", "en-GB", "fr"}};
  patch.competitors = {{"Initech", " initech ", "ACME"}};
  patch.min_judgments = 3;
  auto got = ApplyRequirements(current, patch);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->min_exam_score, 50);
  EXPECT_EQ(got->languages, (std::vector<std::string>{"en-GB", "fr"}));
  EXPECT_EQ(got->competitors, (std::vector<std::string>{"acme", "initech"}));
  EXPECT_EQ(got->standing.min_judgments, 3);
  EXPECT_TRUE(RequirementsPatch{}.empty());
  EXPECT_FALSE(patch.empty());
}

TEST(ApplyRequirements, NamesEveryBadMember) {
  RequirementsPatch patch;
  patch.min_exam_score = -1;
  patch.competitors = {{"ok", "   "}};
  patch.terms = std::string(kMaxTermsBytes + 1, 'x');
  patch.min_gold_accuracy = -0.1;
  patch.min_judgments = 0;
  auto got = ApplyRequirements({}, patch);
  ASSERT_FALSE(got);
  std::vector<std::string> fields;
  for (const FieldError& d : got.error().details) fields.push_back(d.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{
                "requirements.min_exam_score", "requirements.competitors[1]", "requirements.terms",
                "requirements.standing.min_gold_accuracy", "requirements.standing.min_judgments"}));
  RequirementsPatch too_many;
  too_many.languages = std::vector<std::string>(kMaxRequiredLanguages + 1, "en");
  EXPECT_EQ(ApplyRequirements({}, too_many).error().details.at(0).field, "requirements.languages");
}

}  // namespace
}  // namespace fw::projects
