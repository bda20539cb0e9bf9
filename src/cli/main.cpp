// tact: the command-line front end. Each subcommand lives in its own *_command.cpp.
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"tact: rule-driven dialogue guidance for contact centres"};
  app.set_version_flag("--version", "tact 0.1.0");
  app.require_subcommand(1);
  tact::cli::Runner match = tact::cli::add_match_command(app);
  tact::cli::Runner guide = tact::cli::add_guide_command(app);
  tact::cli::Runner qa = tact::cli::add_qa_command(app);
  tact::cli::Runner test = tact::cli::add_test_command(app);
  tact::cli::Runner explain = tact::cli::add_explain_command(app);
  tact::cli::Runner lint = tact::cli::add_lint_command(app);
  tact::cli::Runner score = tact::cli::add_score_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "tact: " << e.what() << "\nRun 'tact --help' for usage.\n";
    return tact::cli::kExitUsage;
  }
  try {
    if (app.got_subcommand("match")) return match();
    if (app.got_subcommand("guide")) return guide();
    if (app.got_subcommand("qa")) return qa();
    if (app.got_subcommand("test")) return test();
    if (app.got_subcommand("explain")) return explain();
    if (app.got_subcommand("lint")) return lint();
    if (app.got_subcommand("score")) return score();
  } catch (const std::exception& e) {
    std::cerr << "tact: internal error (please report): " << e.what() << "\n";
    return 70;
  }
  return tact::cli::kExitUsage;
}
