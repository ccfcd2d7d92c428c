// The server JVM's heap usage (JMX), to compare estimates with. No parameters.
// Returns: max, used — bytes.
CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes
RETURN attributes.HeapMemoryUsage.value.properties.max AS max,
       attributes.HeapMemoryUsage.value.properties.used AS used
