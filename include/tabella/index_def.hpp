// Indexes and UNIQUE constraints a mapped struct declares in its table_traits, by member
// name: tabella::index_def and tabella::unique_def.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace tabella::detail {

/// Members of a mapped struct, and a name (empty: tabella names it), for an index or a
/// UNIQUE constraint. A literal type, so that table_traits can hold arrays of them.
template <class Kind>
struct member_list {
    /// At most 16 members (MariaDB's limit of columns in an index); unused ones are empty.
    std::array<std::string_view, 16> members{};
    std::string_view name{};

    /// The count of members given (the non-empty names before the first empty one).
    [[nodiscard]] constexpr std::size_t size() const noexcept {
        std::size_t n = 0;
        while (n < members.size() && !members[n].empty()) ++n;
        return n;
    }
};
struct index_kind;
struct unique_kind;

} // namespace tabella::detail

namespace tabella {
/// An index over members of a mapped struct, for table_traits<T>::indexes:
/// `tabella::index_def{{"last_name", "first_name"}}`, or named:
/// `tabella::index_def{{"email"}, "ix_people_email"}`. Default name:
/// `ix_<table>_<column>_<column>...`. A ref to a composite key stands for all its columns.
using index_def = detail::member_list<detail::index_kind>;
/// A UNIQUE constraint over members, for table_traits<T>::unique_constraints:
/// `tabella::unique_def{{"course_id", "student_id"}}`. Default name `uq_<table>_<columns>`.
using unique_def = detail::member_list<detail::unique_kind>;
} // namespace tabella
