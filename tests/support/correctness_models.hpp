// Mapped structs of the correctness suite, beside those of models.hpp.
#pragma once

#include "models.hpp"

namespace models {

/// A tree in one table: `parent` is a nullable foreign key to nodes.id.
struct node {
    BOOST_HANA_DEFINE_STRUCT(node, (std::optional<std::int64_t>, id),
                             (std::optional<tabella::ref<node>>, parent), (std::string, label));
};

/// Mapped onto an `items` table each test creates by hand (keys, triggers).
struct item {
    BOOST_HANA_DEFINE_STRUCT(item, (std::optional<std::int64_t>, id), (std::string, label));
};

/// A key the application assigns: a plain integer, where 0 is a key like any other.
struct numbered {
    BOOST_HANA_DEFINE_STRUCT(numbered, (std::int64_t, id), (std::string, label));
};

/// A child of student through a foreign key the test declares DEFERRABLE INITIALLY DEFERRED.
struct late_child {
    BOOST_HANA_DEFINE_STRUCT(late_child, (std::optional<std::int64_t>, id),
                             (tabella::ref<student>, student_id), (std::string, note));
};

} // namespace models

template <>
struct tabella::table_traits<models::node> {
    static constexpr std::string_view name = "nodes";
};
template <>
struct tabella::table_traits<models::item> {
    static constexpr std::string_view name = "items";
};
template <>
struct tabella::table_traits<models::numbered> {
    static constexpr std::string_view name = "numbered";
};
template <>
struct tabella::table_traits<models::late_child> {
    static constexpr std::string_view name = "late_children";
};
