// The indexes and UNIQUE constraints table_traits<T> declares, from member names to columns.
#include "tabella/error.hpp"
#include "tabella/mapping.hpp"

#include <algorithm>

namespace tabella::detail {
namespace {

// The columns of the members `def` names: one per member, or every column of a ref to a
// composite key.
template <class Def>
std::vector<std::string>
columns_of(const entity_mapping& e, std::span<const std::string_view> members,
           std::span<const std::size_t> offsets, const Def& def, std::string_view list) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < def.size(); ++i) {
        const auto it = std::find(members.begin(), members.end(), def.members[i]);
        if (it == members.end())
            throw usage_error("table_traits<" + e.struct_name + ">::" + std::string(list) +
                              " names '" + std::string(def.members[i]) +
                              "', which is not a member");
        const auto m = static_cast<std::size_t>(it - members.begin());
        for (std::size_t c = offsets[m]; c < offsets[m + 1]; ++c)
            out.push_back(e.table.columns()[c].name());
    }
    return out;
}

} // namespace

void add_member_indexes(entity_mapping& e, std::span<const std::string_view> members,
                        std::span<const std::size_t> offsets, std::span<const index_def> indexes,
                        std::span<const unique_def> uniques) {
    for (const auto& ix : indexes)
        e.table.index(columns_of(e, members, offsets, ix, "indexes"), std::string(ix.name));
    for (const auto& uq : uniques)
        e.table.unique(columns_of(e, members, offsets, uq, "unique_constraints"),
                       std::string(uq.name));
}

} // namespace tabella::detail
