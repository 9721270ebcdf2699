"""Pure: a template and a person's options into a dated, progressive plan."""
