# What ActiveRecord 6.1 writes to and reads from a column declared `serialize :exchange_routing_keys, Array`, as
# isimud's observer tables are: reads one JSON document from standard input,
#   {"dump": [["key", ...], ...], "load": ["column text" or null, ...]}
# and writes {"dump": [column text or null, ...], "load": [["key", ...], ...]} to standard output.
require "json"
require "active_record"

type = ActiveRecord::Type::Serialized.new(ActiveRecord::Type::Text.new,
                                          ActiveRecord::Coders::YAMLColumn.new(:exchange_routing_keys, Array))
input = JSON.parse($stdin.read)
puts JSON.generate(
  "dump" => input["dump"].map { |keys| type.serialize(keys) },
  "load" => input["load"].map { |column| type.deserialize(column) },
  "versions" => { "activerecord" => ActiveRecord::VERSION::STRING, "psych" => Psych::VERSION, "ruby" => RUBY_VERSION }
)
