// Compiled into every target that links a shared tabella::mariadb. An ordinary object
// that refers to the driver's anchor makes the linker keep libtabella_mariadb as a
// needed library (a bare -u option does not count under --as-needed), so its static
// initializer registers the "mariadb" scheme.
extern "C" void tabella_mariadb_driver_anchor();

namespace {
#if defined(__GNUC__)
[[maybe_unused]] __attribute__((used)) void (*const tabella_mariadb_keep)() =
    &tabella_mariadb_driver_anchor;
#endif
} // namespace
