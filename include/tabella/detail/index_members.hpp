// table_traits<T>::indexes and unique_constraints as spans, and the compile-time check
// that they name members T has.
#pragma once

#include "tabella/detail/key_traits.hpp"
#include "tabella/index_def.hpp"

#include <algorithm>
#include <cstddef>
#include <span>

namespace tabella::detail {

/// table_traits<T>::indexes / unique_constraints, or none.
template <class T>
constexpr std::span<const index_def> indexes_of() {
    if constexpr (requires { table_traits<T>::indexes.size(); })
        return table_traits<T>::indexes;
    else
        return {};
}
template <class T>
constexpr std::span<const unique_def> unique_constraints_of() {
    if constexpr (requires { table_traits<T>::unique_constraints.size(); })
        return table_traits<T>::unique_constraints;
    else
        return {};
}

/// Every index and UNIQUE constraint of table_traits<T> names at least one member, and only
/// members T has.
template <class T>
consteval bool index_members_exist() {
    constexpr auto names = member_names<T>();
    const auto known = [&](const auto& defs) {
        for (const auto& d : defs) {
            if (d.size() == 0) return false;
            for (std::size_t i = 0; i < d.size(); ++i)
                if (std::find(names.begin(), names.end(), d.members[i]) == names.end())
                    return false;
        }
        return true;
    };
    return known(indexes_of<T>()) && known(unique_constraints_of<T>());
}

} // namespace tabella::detail
