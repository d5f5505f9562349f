// tabella::on_delete: what happens to the rows that reference a row being deleted.
#pragma once

namespace tabella {

/// What the database does to the rows that reference a row being deleted (a FOREIGN KEY's
/// `ON DELETE`), and what a session does to the referencing objects it holds.
enum class on_delete {
    restrict, ///< the DELETE fails while rows reference the row (the SQL default, NO ACTION)
    cascade,  ///< ON DELETE CASCADE: the referencing rows are deleted too
    set_null, ///< ON DELETE SET NULL: the referencing columns become NULL (nullable only)
};

} // namespace tabella
