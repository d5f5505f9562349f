// Core columns drawn from a named sequence (column::sequence, SQLAlchemy's Sequence()):
// create_all / drop_all make and drop the sequence where the database has sequences, and an
// insert that leaves the column out gets values drawn from it; SQLite ignores it.
#include "../support/backend_traits.hpp"

#include <tabella/tabella.hpp>

#include <algorithm>
#include <set>

namespace tabella::testing {
namespace {

template <class B>
class core_sequence : public backend_test<B> {
  protected:
    using traits = backend_traits<B>;

    void SetUp() override {
        backend_test<B>::SetUp();
        if (this->url_.empty()) return;
        using enum column_type;
        meta_.add_table("counters",
                        {column("id", big_integer).primary_key().sequence("counter_ids"),
                         column("label", string).not_null()});
        engine_.emplace(this->make_engine(true));
        meta_.drop_all(*engine_);
        meta_.create_all(*engine_);
        this->echo_lines_.clear();
    }
    void TearDown() override {
        if (engine_) meta_.drop_all(*engine_);
    }

    const table& counters() const { return meta_.get_table("counters"); }
    std::size_t echoed_containing(std::string_view text) const {
        return static_cast<std::size_t>(
            std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(),
                          [&](const std::string& l) { return l.find(text) != l.npos; }));
    }
    /// label -> id of every counters row.
    std::map<std::string, std::int64_t> rows() {
        std::map<std::string, std::int64_t> out;
        for (const auto& r : engine_->connect().execute_sql("SELECT id, label FROM counters"))
            out[r.template get<std::string>(1)] = r.template get<std::int64_t>(0);
        return out;
    }
    std::int64_t next_value() {
        auto conn = engine_->connect();
        return conn.execute_sql(traits::next_value_sql("counter_ids"))
            .template scalar<std::int64_t>();
    }

    metadata meta_;
    std::optional<engine> engine_;
};
TYPED_TEST_SUITE(core_sequence, all_backends);

TYPED_TEST(core_sequence, create_all_makes_the_sequence_and_drop_all_drops_it) {
    const auto& lines = this->echo_lines_;
    this->meta_.drop_all(*this->engine_);
    this->meta_.create_all(*this->engine_);
    const auto created = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.starts_with("CREATE SEQUENCE IF NOT EXISTS counter_ids");
    });
    const auto table = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.starts_with("CREATE TABLE IF NOT EXISTS counters");
    });
    ASSERT_NE(table, lines.end());
    if (TestFixture::traits::has_sequences) {
        EXPECT_LT(created, table) << "the sequence first";
        EXPECT_EQ(table->find("IDENTITY"), std::string::npos) << *table;
        EXPECT_EQ(table->find("AUTO_INCREMENT"), std::string::npos) << *table;
        EXPECT_GE(this->next_value(), 1);
        this->meta_.drop_all(*this->engine_);
        EXPECT_EQ(this->echoed_containing("DROP SEQUENCE IF EXISTS counter_ids"), 2u);
        EXPECT_THROW((void)this->next_value(), sql_error);
    } else {
        EXPECT_EQ(created, lines.end()) << "SQLite has no sequences";
        EXPECT_NE(table->find("id INTEGER"), std::string::npos) << "the rowid: " << *table;
    }
}

TYPED_TEST(core_sequence, rows_that_leave_the_column_out_get_values_from_the_sequence) {
    auto conn = this->engine_->connect();
    auto one = conn.execute(this->counters().insert().values({{"label", "one"}}));
    std::vector<param_set> many;
    for (int i = 0; i < 30; ++i) many.push_back({{"label", "many" + std::to_string(i)}});
    auto each = conn.execute(this->counters().insert(), many);
    std::vector<param_set> multi;
    for (int i = 0; i < 30; ++i) multi.push_back({{"label", "multi" + std::to_string(i)}});
    conn.execute(this->counters().insert().values(multi));
    const auto rows = this->rows();
    ASSERT_EQ(rows.size(), 61u);
    EXPECT_EQ(one.inserted_primary_key().template get<std::int64_t>(0), rows.at("one"));
    ASSERT_EQ(each.inserted_primary_key_rows().size(), 30u);
    for (int i = 0; i < 30; ++i)
        EXPECT_EQ(each.inserted_primary_key_rows()[i].template get<std::int64_t>(0),
                  rows.at("many" + std::to_string(i)));
    std::set<std::int64_t> keys;
    for (const auto& [label, id] : rows) keys.insert(id);
    EXPECT_EQ(keys.size(), 61u);
    if (TestFixture::traits::has_sequences) {
        EXPECT_EQ(this->echoed_containing(TestFixture::traits::sequence_draw_sql), 3u)
            << "one draw per statement";
        EXPECT_GT(this->next_value(), *keys.rbegin());
    }
}

} // namespace
} // namespace tabella::testing
