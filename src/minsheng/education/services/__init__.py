"""Every write of the education module: schools, rolls, dropout cases, preschool aid."""
