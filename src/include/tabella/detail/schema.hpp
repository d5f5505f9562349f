// CREATE and DROP of a table together with the sequences its columns name, for
// metadata::create_all / drop_all and the ORM's create_all / drop_all alike.
#pragma once

#include "tabella/connection.hpp"
#include "tabella/metadata.hpp"

namespace tabella::detail {

/// In `conn`'s open transaction: where the driver has sequences, CREATE SEQUENCE IF NOT
/// EXISTS for each sequence a column of `t` names, and such a key column is a plain integer
/// (no identity, no autoincrement); then CREATE TABLE IF NOT EXISTS. Elsewhere the
/// sequences are ignored and the key is generated as any other.
void create_table_with_sequences(connection& conn, const table& t);
/// In `conn`'s open transaction: DROP TABLE IF EXISTS, then, where the driver has
/// sequences, DROP SEQUENCE IF EXISTS for each sequence a column of `t` names.
void drop_table_with_sequences(connection& conn, const table& t);

} // namespace tabella::detail
