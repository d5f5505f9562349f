// Mapped structs used by the ORM behaviour tests.
#pragma once

#include <tabella/session.hpp>

#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/define_struct.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace models {

struct student {
    BOOST_HANA_DEFINE_STRUCT(student, (std::optional<std::int64_t>, id), (std::string, name),
                             (std::string, lastname), (std::optional<int>, age));
};

enum class level { freshman = 1, senior = 4 };

/// Every supported member type.
struct sample {
    BOOST_HANA_DEFINE_STRUCT(sample, (std::int64_t, sample_id), (int, small), (double, ratio),
                             (bool, flag), (std::string, label), (tabella::blob, bytes),
                             (level, grade), (std::chrono::system_clock::time_point, at),
                             (std::optional<std::int64_t>, maybe_big),
                             (std::optional<double>, maybe_ratio),
                             (std::optional<bool>, maybe_flag),
                             (std::optional<std::string>, maybe_label),
                             (std::optional<tabella::blob>, maybe_bytes),
                             (std::optional<level>, maybe_grade),
                             (std::optional<std::chrono::system_clock::time_point>, maybe_at));
};

/// A plain struct adapted from outside.
struct course {
    std::optional<std::int64_t> id;
    std::string title;
    double credits = 0;
};

/// A child of student (required) and course (optional).
struct enrollment {
    BOOST_HANA_DEFINE_STRUCT(enrollment, (std::optional<std::int64_t>, id),
                             (tabella::ref<student>, student_id),
                             (std::optional<tabella::ref<course>>, course_id), (std::string, term));
};

} // namespace models

BOOST_HANA_ADAPT_STRUCT(models::course, id, title, credits);

template <>
struct tabella::table_traits<models::student> {
    static constexpr std::string_view name = "students";
};
template <>
struct tabella::table_traits<models::sample> {
    static constexpr std::string_view name = "samples";
    static constexpr std::string_view primary_key = "sample_id";
};
template <>
struct tabella::table_traits<models::course> {
    static constexpr std::string_view name = "courses";
};
template <>
struct tabella::table_traits<models::enrollment> {
    static constexpr std::string_view name = "enrollments";
};
