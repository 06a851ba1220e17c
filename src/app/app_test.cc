#include "app/app.h"

#include <unistd.h>

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

namespace fw::app {
namespace {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("fw_app_test_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.data_dir = dir_.string();
    config_.threads = 4;
    config_.log_level = "warn";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  Config config_;
};

TEST_F(AppTest, IdsStayTheSameAcrossRestarts) {
  std::string first;
  {
    auto app = App::Open(config_, {.fast_password_hashing = true});
    ASSERT_TRUE(app) << app.error().message;
    first = (*app)->ids().Encode(security::IdKind::kProject, 7);
  }
  auto again = App::Open(config_, {.fast_password_hashing = true});
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->ids().Encode(security::IdKind::kProject, 7), first);
}

TEST_F(AppTest, DemoSeedsBothLabsEveryPresetAndEveryFieldType) {
  auto app = App::Open(config_, {.fast_password_hashing = true});
  ASSERT_TRUE(app) << app.error().message;
  auto logins = SeedDemo(**app);
  ASSERT_TRUE(logins) << logins.error().message;
  auto again = SeedDemo(**app);
  ASSERT_TRUE(again);
  auto labs = (*app)->orgs().ListLabs();
  ASSERT_TRUE(labs);
  EXPECT_EQ(labs->size(), 2u);
  std::set<std::string> presets;
  std::set<std::string_view> field_types;
  for (const auto& lab : *labs) {
    Caller c;
    c.role = Role::kLabOwner;
    c.org_id = lab.id;
    auto projects = (*app)->projects().List(c);
    ASSERT_TRUE(projects);
    for (const auto& p : *projects) {
      presets.insert(p.preset);
      for (const auto& f : p.tmpl->fields()) field_types.insert(projects::FieldTypeName(f.type));
      auto counts = (*app)->projects().Counts(c, p.id);
      EXPECT_GT(counts->items, 0) << p.name;
    }
  }
  // Every preset, and one project with a template of its own ("").
  EXPECT_EQ(presets, (std::set<std::string>{"sft", "preference", "rubric", "adversarial",
                                            "classification", ""}));
  EXPECT_EQ(field_types, (std::set<std::string_view>{"text", "markdown", "code", "chat",
                                                     "image_url"}));
}

TEST_F(AppTest, EveryRouteHasASummaryAndApiRoutesAreVersioned) {
  auto app = App::Open(config_, {.fast_password_hashing = true});
  ASSERT_TRUE(app);
  const auto& routes = (*app)->router().routes();
  EXPECT_GT(routes.size(), 30u);
  for (const auto& r : routes) {
    EXPECT_FALSE(r.summary.empty()) << r.pattern;
    // /metrics is for Prometheus, with an operator's token; every other protected route is API.
    if (r.access != http::Access::kPublic && r.pattern != "/metrics") {
      EXPECT_EQ(r.pattern.rfind("/api/v1/", 0), 0u) << r.pattern;
    }
  }
}

}  // namespace
}  // namespace fw::app
