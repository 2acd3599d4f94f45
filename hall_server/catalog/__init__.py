"""The catalog: halls, their departments (进驻部门), windows (窗口) and service items (事项)."""
