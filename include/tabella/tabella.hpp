// Umbrella header for the Core layer of tabella.
#pragma once

#include "tabella/connection.hpp"
#include "tabella/dialect.hpp"
#include "tabella/engine.hpp"
#include "tabella/error.hpp"
#include "tabella/expression.hpp"
#include "tabella/metadata.hpp"
#include "tabella/result.hpp"
#include "tabella/statement.hpp"
#include "tabella/url.hpp"
#include "tabella/value.hpp"
