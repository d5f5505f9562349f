// Uses tabella as a user's program does: Core in memory, the ORM with generated keys, and
// the PostgreSQL driver registered by linking its component alone.
#include <tabella/session.hpp>
#include <tabella/tabella.hpp>

#include <boost/hana/define_struct.hpp>

#include <iostream>

struct pet {
    BOOST_HANA_DEFINE_STRUCT(pet, (std::optional<std::int64_t>, id), (std::string, name));
};
template <>
struct tabella::table_traits<pet> {
    static constexpr std::string_view name = "pets";
};

namespace {

bool core_round_trip(tabella::engine& engine) {
    using enum tabella::column_type;
    tabella::metadata meta;
    const auto& t = meta.add_table(
        "t", {tabella::column("id", integer).primary_key(), tabella::column("name", string)});
    meta.create_all(engine);
    auto conn = engine.connect();
    const auto key = conn.execute(t.insert().values({{"name", "consumer"}})).inserted_primary_key();
    const auto name = conn.execute(t.select()).one().get<std::string>("name");
    std::cout << "key " << key << " name " << name << "\n";
    return key[0] == tabella::value(1) && name == "consumer";
}

bool orm_round_trip(tabella::engine& engine) {
    tabella::create_all<pet>(engine);
    tabella::session s(engine);
    auto pets = s.add_all(std::vector<pet>{{std::nullopt, "Rex"}, {std::nullopt, "Tom"}});
    s.commit();
    const auto found = s.query<pet>().where(tabella::col(&pet::name) == "Tom").all();
    std::cout << "pets " << *pets[0].id << " " << *pets[1].id << "\n";
    return found.size() == 1 && found[0]->id == pets[1].id;
}

} // namespace

int main() try {
    auto engine = tabella::create_engine("sqlite://");
    const bool ok = core_round_trip(engine) && orm_round_trip(engine);
    // Engines connect lazily: no server is needed to see that the scheme has a driver.
    (void)tabella::create_engine("postgresql://nobody@127.0.0.1:1/none");
    std::cout << "postgresql driver registered\n";
    try {
        (void)tabella::create_engine("nosuch://h/db");
        return 1;
    } catch (const tabella::usage_error& e) {
        std::cout << "typed error across the library boundary: " << e.what() << "\n";
    }
    return ok ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "consumer: " << e.what() << "\n";
    return 1;
}
