// Uses the installed tabella: create a table in memory, insert a row, read it back.
#include <tabella/tabella.hpp>

#include <iostream>

int main() {
    using enum tabella::column_type;
    auto engine = tabella::create_engine("sqlite://");
    tabella::metadata meta;
    const auto& t = meta.add_table(
        "t", {tabella::column("id", integer).primary_key(), tabella::column("name", string)});
    meta.create_all(engine);
    auto conn = engine.connect();
    const auto key = conn.execute(t.insert().values({{"name", "consumer"}})).inserted_primary_key();
    const auto name = conn.execute(t.select()).one().get<std::string>("name");
    std::cout << "key " << key << " name " << name << "\n";
#ifdef CONSUMER_WITH_POSTGRES
    // The driver registered itself (engines connect lazily: no server is needed here).
    (void)tabella::create_engine("postgresql://nobody@127.0.0.1:1/none");
    std::cout << "postgresql driver registered\n";
#endif
    return key[0] == tabella::value(1) && name == "consumer" ? 0 : 1;
}
