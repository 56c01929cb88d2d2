//! Demo practices: placeholder, filled in below.
