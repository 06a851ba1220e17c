#include "webapp/site.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fw::webapp {
namespace {

namespace fs = std::filesystem;

class SiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("fw-site-{}", ::testing::UnitTest::GetInstance()->random_seed());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "assets");
    Write("index.html", "<!doctype html><div id=app></div>");
    Write("assets/index-Ab12.js", "console.log(1)");
    Write("assets/index-Ab12.js.gz", "GZ-BYTES");
    Write("favicon.svg", "<svg/>");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& body) {
    std::ofstream(dir_ / name, std::ios::binary) << body;
  }
  static http::Request Get(std::string path,
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.headers = std::move(headers);
    return r;
  }
  static std::string HeaderOf(const http::Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(SiteTest, ServesFilesWithTypesAndCaching) {
  auto site = Site::Load(dir_.string());
  ASSERT_TRUE(site) << site.error().message;
  EXPECT_EQ(site->files(), 3u);

  auto index = site->Serve(Get("/index.html"));
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(*index, "Cache-Control"), "no-cache");
  EXPECT_EQ(index->body, "<!doctype html><div id=app></div>");

  auto js = site->Serve(Get("/assets/index-Ab12.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(*js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(HeaderOf(*js, "Vary"), "Accept-Encoding");
  EXPECT_EQ(HeaderOf(*js, "Content-Encoding"), "");

  auto svg = site->Serve(Get("/favicon.svg"));
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->content_type, "image/svg+xml");
}

TEST_F(SiteTest, ClientRoutesGetTheAppButApiPathsAndMissingFilesDoNot) {
  auto site = Site::Load(dir_.string());
  ASSERT_TRUE(site);
  for (const char* route : {"/", "/work", "/lab/projects/prj_abc/quality", "/sign-in"}) {
    auto r = site->Serve(Get(route));
    ASSERT_TRUE(r) << route;
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8") << route;
  }
  for (const char* api :
       {"/api", "/api/v1/nothing", "/healthz", "/metrics", "/assets/gone-123.js", "/x.png"}) {
    EXPECT_FALSE(site->Serve(Get(api))) << api;
  }
  // Only loaded files are reachable: a path that climbs out is a client route, never a file.
  for (const char* climb : {"/../../etc/passwd", "/assets/../../secret"}) {
    auto r = site->Serve(Get(climb));
    ASSERT_TRUE(r) << climb;
    EXPECT_EQ(r->body, "<!doctype html><div id=app></div>") << climb;
  }
}

TEST_F(SiteTest, GzipOnlyWhenAcceptedWithItsOwnEtag) {
  auto site = Site::Load(dir_.string());
  ASSERT_TRUE(site);
  auto plain = site->Serve(Get("/assets/index-Ab12.js"));
  auto gz = site->Serve(Get("/assets/index-Ab12.js", {{"accept-encoding", "br, gzip;q=0.8"}}));
  ASSERT_TRUE(plain && gz);
  EXPECT_EQ(gz->body, "GZ-BYTES");
  EXPECT_EQ(HeaderOf(*gz, "Content-Encoding"), "gzip");
  EXPECT_NE(HeaderOf(*gz, "ETag"), HeaderOf(*plain, "ETag"));
  for (const char* refused : {"gzip;q=0", "identity", "gzip; q=0.0", "deflate"}) {
    auto r = site->Serve(Get("/assets/index-Ab12.js", {{"accept-encoding", refused}}));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "console.log(1)") << refused;
  }
  auto star = site->Serve(Get("/assets/index-Ab12.js", {{"accept-encoding", "*"}}));
  EXPECT_EQ(star->body, "GZ-BYTES");
}

TEST_F(SiteTest, RevalidationAnswers304) {
  auto site = Site::Load(dir_.string());
  ASSERT_TRUE(site);
  auto first = site->Serve(Get("/"));
  std::string etag = HeaderOf(*first, "ETag");
  ASSERT_FALSE(etag.empty());
  auto again = site->Serve(Get("/", {{"if-none-match", etag}}));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  Write("index.html", "changed");
  auto reloaded = Site::Load(dir_.string());
  auto changed = reloaded->Serve(Get("/", {{"if-none-match", etag}}));
  EXPECT_EQ(changed->status, 200);
  EXPECT_EQ(changed->body, "changed");
}

TEST_F(SiteTest, LoadNeedsAnIndex) {
  fs::remove(dir_ / "index.html");
  auto site = Site::Load(dir_.string());
  ASSERT_FALSE(site);
  EXPECT_EQ(site.error().code, ErrorCode::kNotFound);
  EXPECT_NE(site.error().message.find("make web"), std::string::npos);
  EXPECT_FALSE(Site::Load((dir_ / "nowhere").string()));
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(ContentTypeFor("/a/b.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("/x.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/noext"), "application/octet-stream");
}

}  // namespace
}  // namespace fw::webapp
