import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/** Lists the broker's topics: `--bootstrap-server HOST:PORT --list`, as kafka-topics.sh does. */
public class ListTopics {
    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--bootstrap-server")) {
                properties.put("bootstrap.servers", args[i + 1]);
            }
        }
        properties.put("request.timeout.ms", "10000");
        properties.put("default.api.timeout.ms", "15000");
        try (Admin admin = Admin.create(properties)) {
            for (String topic : admin.listTopics().names().get()) {
                System.out.println(topic);
            }
        }
    }
}
