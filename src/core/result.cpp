// Result rows and inserted keys.
#include "tabella/result.hpp"

#include "tabella/error.hpp"

#include <ostream>

namespace tabella {
namespace {
const std::vector<std::string> no_columns;
}

row::row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<value> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

const value& row::operator[](std::size_t index) const {
    if (index >= values_.size())
        throw usage_error("row has " + std::to_string(values_.size()) + " columns; index " +
                          std::to_string(index) + " is out of range");
    return values_[index];
}

const value& row::operator[](std::string_view name) const {
    const auto& cols = columns();
    for (std::size_t i = 0; i < cols.size() && i < values_.size(); ++i)
        if (cols[i] == name) return values_[i];
    throw usage_error("row has no column '" + std::string(name) + "'");
}

const std::vector<std::string>& row::columns() const noexcept {
    return columns_ ? *columns_ : no_columns;
}

std::ostream& operator<<(std::ostream& os, const row& r) {
    os << '(';
    for (std::size_t i = 0; i < r.size(); ++i) os << (i ? ", " : "") << r[i];
    return os << (r.size() == 1 ? ",)" : ")");
}

result::result(std::shared_ptr<const std::vector<std::string>> columns, std::vector<row> rows,
               std::int64_t rowcount)
    : columns_(std::move(columns)), rows_(std::move(rows)), rowcount_(rowcount) {}

const std::vector<std::string>& result::columns() const noexcept {
    return columns_ ? *columns_ : no_columns;
}

value result::scalar() const {
    if (rows_.empty() || rows_.front().size() == 0)
        throw usage_error("scalar(): the result has no rows");
    return rows_.front()[0];
}

const row& result::one() const {
    if (rows_.size() != 1)
        throw usage_error("one(): expected exactly one row, got " + std::to_string(rows_.size()));
    return rows_.front();
}

std::optional<row> result::first() const {
    if (rows_.empty()) return std::nullopt;
    return rows_.front();
}

const row& result::inserted_primary_key() const {
    if (!inserted_keys_)
        throw usage_error("inserted_primary_key(): the statement was not a single-row INSERT");
    if (inserted_keys_->size() != 1)
        throw usage_error("inserted_primary_key(): " + std::to_string(inserted_keys_->size()) +
                          " rows were inserted; use inserted_primary_key_rows()");
    return inserted_keys_->front();
}

const std::vector<row>& result::inserted_primary_key_rows() const {
    if (!inserted_keys_)
        throw usage_error("inserted_primary_key_rows(): the keys are not known for this "
                          "statement (a multi-VALUES INSERT does not say which key belongs "
                          "to which row unless its returning() names the key)");
    return *inserted_keys_;
}

void result::set_inserted_keys(std::vector<row> keys) {
    inserted_keys_ = std::move(keys);
}

} // namespace tabella
