#include "base/config.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace fw {
namespace {

TEST(Config, EnvironmentOverridesDefaults) {
  Config c;
  std::map<std::string, std::string> env = {{"FACHWERK_LISTEN", "0.0.0.0:9000"},
                                            {"FACHWERK_LEASE_SECONDS", "60"}};
  auto st = ApplyEnvironment(c, [&](const char* k) -> const char* {
    auto it = env.find(k);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.lease_seconds, 60);
}

TEST(Config, FileErrorNamesTheLine) {
  auto path = std::filesystem::temp_directory_path() / ("fw_config_test_" + std::to_string(::getpid()));
  {
    std::ofstream f(path);
    f << "# comment\nlisten = 127.0.0.1:1234\n\nthreads = lots\n";
  }
  Config c;
  auto st = ApplyConfigFile(c, path.string());
  std::filesystem::remove(path);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find(":4:"), std::string::npos) << st.error().message;
  EXPECT_EQ(c.listen, "127.0.0.1:1234");
}

TEST(Config, UnknownKeyIsRejected) {
  Config c;
  auto st = SetConfigValue(c, "colour", "blue");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().details[0].field, "colour");
}

TEST(Config, ParseListen) {
  auto r = ParseListen("127.0.0.1:0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, "127.0.0.1");
  EXPECT_EQ(r->second, 0);
  EXPECT_FALSE(ParseListen("nope"));
  EXPECT_FALSE(ParseListen("h:70000"));
}

TEST(Config, SecureCookiesAreOnExceptOnLoopbackUnlessSet) {
  Config c;
  c.listen = "127.0.0.1:8080";
  EXPECT_FALSE(SecureCookies(c));
  c.listen = "0.0.0.0:8080";
  EXPECT_TRUE(SecureCookies(c));
  c.listen = "10.1.2.3:443";
  EXPECT_TRUE(SecureCookies(c));
  ASSERT_TRUE(SetConfigValue(c, "secure_cookies", "false"));
  EXPECT_FALSE(SecureCookies(c));
  c.listen = "127.0.0.1:8080";
  ASSERT_TRUE(SetConfigValue(c, "secure_cookies", "true"));
  EXPECT_TRUE(SecureCookies(c));
  ASSERT_TRUE(SetConfigValue(c, "secure_cookies", "auto"));
  EXPECT_FALSE(SecureCookies(c));
  EXPECT_FALSE(SetConfigValue(c, "secure_cookies", "maybe"));
}

TEST(Config, ConnectionBoundsAndDeadlinesParse) {
  Config c;
  ASSERT_TRUE(SetConfigValue(c, "max_connections_per_address", "16"));
  ASSERT_TRUE(SetConfigValue(c, "io_timeout_seconds", "5"));
  EXPECT_EQ(c.max_connections_per_address, 16);
  EXPECT_EQ(c.io_timeout_seconds, 5);
  auto bad = SetConfigValue(c, "header_timeout_seconds", "0");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().details[0].field, "header_timeout_seconds");
}

}  // namespace
}  // namespace fw
