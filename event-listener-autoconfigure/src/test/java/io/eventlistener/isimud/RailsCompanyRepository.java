package io.eventlistener.isimud;

import org.springframework.data.jpa.repository.JpaRepository;

public interface RailsCompanyRepository extends JpaRepository<RailsCompany, Long> {

}
