"""服务对象评议: applicants' ratings of a finished service, one per ticket (一次一评)."""
