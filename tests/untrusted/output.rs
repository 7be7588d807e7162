//! Issue 20: see main.rs.
