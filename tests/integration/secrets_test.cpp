// The password of a URL never appears in an error message, an echo line or a log.
#include <tabella/tabella.hpp>

#include <gtest/gtest.h>

namespace tabella {
namespace {

constexpr const char* secret = "Sup3rS3cret-pw";

void expect_hidden(const std::string& text) {
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
    EXPECT_EQ(text.find("Sup3rS3cret"), std::string::npos) << text;
}

TEST(secrets, a_failed_connection_does_not_show_the_password) {
    std::vector<std::string> echo;
    engine_options opts;
    opts.echo = true;
    opts.echo_sink = [&](std::string_view line) { echo.emplace_back(line); };
    const std::string url = std::string("postgresql://scott:") + secret + "@127.0.0.1:1/college";
    try {
        auto eng = create_engine(url, opts); // usage_error when the driver is not built
        EXPECT_EQ(eng.url().masked().find(secret), std::string::npos);
        (void)eng.connect();
        ADD_FAILURE() << "nothing listens on port 1";
    } catch (const error& e) {
        expect_hidden(e.what());
    }
    for (const auto& line : echo) expect_hidden(line);
}

TEST(secrets, malformed_and_percent_encoded_passwords_are_masked) {
    for (const std::string& url : {std::string("postgresql://u:") + secret + "@h:bad/db",
                                   std::string("postgresql://u:") + secret + "@h/db?x=%zz",
                                   std::string("mysql://u:") + secret + "@h/db"}) {
        try {
            (void)create_engine(url);
            ADD_FAILURE() << "accepted";
        } catch (const usage_error& e) {
            expect_hidden(e.what());
        }
    }
    const auto u = parse_url(std::string("postgresql://u:Sup3rS3cret%2Dpw@h/db"));
    EXPECT_EQ(u.password, secret);
    expect_hidden(u.masked());
}

} // namespace
} // namespace tabella
