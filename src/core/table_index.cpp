// Indexes and UNIQUE constraints of a table, the indexes its foreign keys get, and the
// names tabella gives them.
#include "tabella/error.hpp"
#include "tabella/metadata.hpp"

#include <algorithm>
#include <cstdint>

namespace tabella {
namespace {

// PostgreSQL's limit (NAMEDATALEN - 1); MariaDB allows 64, SQLite any length. One limit
// for all keeps a schema's names the same on every database.
constexpr std::size_t portable_name_length = 63;
constexpr std::size_t hash_suffix_length = 9; // "_" and 8 hex digits

std::uint32_t fnv1a(std::string_view text) noexcept {
    std::uint32_t h = 2166136261u;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return h;
}

std::string shortened(std::string name) {
    if (name.size() <= portable_name_length) return name;
    std::size_t keep = portable_name_length - hash_suffix_length;
    // Never cut a UTF-8 sequence in two: back up to the start of a character.
    while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;
    static constexpr char digits[] = "0123456789abcdef";
    std::string suffix = "_";
    const std::uint32_t h = fnv1a(name);
    for (int shift = 28; shift >= 0; shift -= 4) suffix += digits[(h >> shift) & 0xF];
    name.resize(keep);
    return name + suffix;
}

// The column set `columns` is a leading part of `key`, in any order.
bool leads(const std::vector<std::string>& key, const std::vector<std::string>& columns) {
    if (key.size() < columns.size()) return false;
    return std::is_permutation(columns.begin(), columns.end(), key.begin(),
                               key.begin() + static_cast<std::ptrdiff_t>(columns.size()));
}

} // namespace

std::string constraint_name(std::string_view prefix, std::string_view table,
                            const std::vector<std::string>& columns) {
    std::string name(prefix);
    name += '_';
    name += table;
    for (const auto& c : columns) name += '_' + c;
    return shortened(std::move(name));
}

std::string table::index_name(std::string_view prefix, const std::vector<std::string>& columns,
                              std::string name) {
    if (columns.empty())
        throw usage_error("table '" + name_ + "': an index or UNIQUE constraint needs a column");
    for (const auto& c : columns) {
        const auto i = find_column(c);
        if (!i)
            throw usage_error("table '" + name_ + "': an index or UNIQUE constraint names '" + c +
                              "', which is not a column of it");
        columns_[*i].indexed_ = true;
    }
    if (name.empty()) name = constraint_name(prefix, name_, columns);
    const auto taken = [&](const auto& list) {
        return std::any_of(list.begin(), list.end(), [&](const auto& x) { return x.name == name; });
    };
    if (taken(indexes_) || taken(uniques_))
        throw usage_error("table '" + name_ + "' has two indexes or constraints named '" + name +
                          "'");
    return name;
}

table& table::index(std::vector<std::string> columns, std::string name) {
    name = index_name("ix", columns, std::move(name));
    indexes_.push_back({std::move(name), std::move(columns)});
    return *this;
}

table& table::unique(std::vector<std::string> columns, std::string name) {
    name = index_name("uq", columns, std::move(name));
    uniques_.push_back({std::move(name), std::move(columns)});
    return *this;
}

std::vector<table_index> table::foreign_key_indexes() const {
    std::vector<std::vector<std::string>> keys; // column lists an index already leads with
    std::vector<std::string> primary;
    for (const auto& c : columns_) {
        if (c.is_primary_key()) primary.push_back(c.name());
        if (c.is_unique()) keys.push_back({c.name()});
    }
    if (!primary.empty()) keys.push_back(std::move(primary));
    for (const auto& ix : indexes_) keys.push_back(ix.columns);
    for (const auto& uq : uniques_) keys.push_back(uq.columns);
    std::vector<table_index> out;
    for (auto& fk : all_foreign_keys()) {
        if (std::any_of(keys.begin(), keys.end(),
                        [&](const auto& k) { return leads(k, fk.columns); }))
            continue;
        std::string name = constraint_name("ix", name_, fk.columns);
        // A declared index may have taken the name for other columns.
        for (int n = 1; std::any_of(indexes_.begin(), indexes_.end(),
                                    [&](const table_index& ix) { return ix.name == name; });
             ++n)
            name = shortened(constraint_name("ix", name_, fk.columns) + "_" + std::to_string(n));
        keys.push_back(fk.columns);
        out.push_back({std::move(name), std::move(fk.columns)});
    }
    return out;
}

} // namespace tabella
