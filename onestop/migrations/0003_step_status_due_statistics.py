from django.db import migrations

# Active steps have due dates near today while finished ones spread over years:
# without joint statistics the planner multiplies the two selectivities, expects
# a few hundred active steps due this week instead of thousands, and picks
# nested loops that cost the queue pages a hundred milliseconds at city scale.
CREATE = "CREATE STATISTICS IF NOT EXISTS onestop_step_status_due (mcv) ON status, due_date FROM onestop_dossierstep"
DROP = "DROP STATISTICS IF EXISTS onestop_step_status_due"


class Migration(migrations.Migration):
    dependencies = [("onestop", "0002_covering_queue_indexes")]

    operations = [migrations.RunSQL(CREATE, DROP)]
